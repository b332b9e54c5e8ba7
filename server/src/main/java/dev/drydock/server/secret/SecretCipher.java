package dev.drydock.server.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under a key-encryption key kept in a file outside the database. Each value gets a
 * fresh 96-bit nonce; the associated data binds a ciphertext to its workspace and name, so a
 * ciphertext copied to another row (another workspace) does not decrypt. Plain Java, no CDI.
 */
public final class SecretCipher {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.keyId = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * The key in {@code file}, created (owner read/write only) when the file does not exist yet.
     * A key file that others may read, or of the wrong size, is refused.
     */
    public static SecretCipher fromKeyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a key file is not the root folder");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] fresh = new byte[KEY_BYTES];
            RANDOM.nextBytes(fresh);
            try {
                Files.write(
                        Files.createFile(
                                file,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII),
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another replica created it first: read theirs
            }
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream()
                .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IllegalStateException("the workspace secret key " + file + " may be read by others ("
                    + PosixFilePermissions.toString(perms) + "); make it owner-only: chmod 600 " + file);
        }
        byte[] key;
        try {
            key = HexFormat.of()
                    .parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the workspace secret key " + file + " is not 64 hexadecimal digits", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("the workspace secret key " + file
                    + " must hold 32 bytes (64 hexadecimal digits), not " + key.length);
        }
        SecretCipher cipher = new SecretCipher(key);
        Arrays.fill(key, (byte) 0);
        return cipher;
    }

    /** A short fingerprint of the key, stored beside each ciphertext to tell a wrong key from a damaged value. */
    public String keyId() {
        return keyId;
    }

    /** nonce ‖ ciphertext ‖ tag of {@code value}, bound to {@code context}. */
    public byte[] encrypt(String context, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a workspace secret", e);
        }
    }

    /** The value sealed by {@link #encrypt} for the same {@code context}; throws when it was sealed for another. */
    public String decrypt(String context, byte[] sealed) {
        if (sealed.length <= NONCE_BYTES) {
            throw new IllegalStateException("a stored workspace secret is damaged (too short)");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "a stored workspace secret does not decrypt with this key or was moved to another workspace or name",
                    e);
        }
    }
}
