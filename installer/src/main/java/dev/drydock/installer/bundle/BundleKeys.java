package dev.drydock.installer.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 signing keys of bundles, from the JDK (no extra provider), stored as PEM: the private key
 * as PKCS#8 readable by its owner only, the public key as X.509 SubjectPublicKeyInfo.
 */
public final class BundleKeys {
    /** File name of the private key written by {@code bundle keygen}. */
    public static final String PRIVATE_KEY_FILE = "drydock-bundle.key";
    /** File name of the public key written by {@code bundle keygen}. */
    public static final String PUBLIC_KEY_FILE = "drydock-bundle.pub";

    private static final String ALGORITHM = "Ed25519";

    private BundleKeys() {}

    /** Creates a key pair in {@code dir}; refuses to overwrite existing keys. Returns the public key's fingerprint. */
    public static String generate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_KEY_FILE);
        Path pub = dir.resolve(PUBLIC_KEY_FILE);
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(
                        p + " exists; move it away first (a new key cannot verify bundles signed with the old one)");
            }
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
        }
        Files.createDirectories(dir);
        Files.writeString(
                priv,
                pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's permissions protect the key
        }
        Files.writeString(
                pub,
                pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW);
        return fingerprint(pair.getPublic());
    }

    /** Reads a private key written by {@link #generate}. */
    public static PrivateKey readPrivate(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** Reads a public key written by {@link #generate}. */
    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the public key's encoding, hex: how people and messages name a key. */
    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (!text.startsWith(begin) || !text.endsWith(end)) {
            throw new IOException(
                    file + " is not a PEM " + type.toLowerCase(java.util.Locale.ROOT) + " (expected " + begin + ")");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(begin.length(), text.length() - end.length()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": invalid base64 in the PEM body", e);
        }
    }
}
