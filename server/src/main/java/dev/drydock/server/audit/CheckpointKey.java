package dev.drydock.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The Ed25519 key pair (JDK only) that signs audit checkpoints. The private key lives in a file
 * readable by its owner only, never in the database; the public key beside it ({@code <file>.pub})
 * is all a verifier needs.
 */
public final class CheckpointKey {
    private static final String ALGORITHM = "Ed25519";

    private final @Nullable PrivateKey privateKey;
    private final PublicKey publicKey;

    private CheckpointKey(@Nullable PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The public key file of a private key file. */
    public static Path publicFile(Path privateFile) {
        return privateFile.resolveSibling(privateFile.getFileName() + ".pub");
    }

    /**
     * Loads the pair from {@code privateFile} and its {@code .pub}, or generates and stores a new one
     * (private key {@code rw-------}) when neither exists.
     *
     * @throws IllegalStateException when only one of the two files exists or a file is not such a key
     */
    public static CheckpointKey loadOrCreate(Path privateFile) {
        Path publicFile = publicFile(privateFile);
        boolean hasPrivate = Files.exists(privateFile);
        boolean hasPublic = Files.exists(publicFile);
        if (hasPrivate != hasPublic) {
            throw new IllegalStateException("audit checkpoint key: " + (hasPrivate ? publicFile : privateFile)
                    + " is missing while " + (hasPrivate ? privateFile : publicFile)
                    + " exists; restore it from a backup (a new key would not verify older checkpoints)");
        }
        try {
            if (!hasPrivate) {
                KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                Files.createDirectories(privateFile.toAbsolutePath().getParent());
                writeOwnerOnly(
                        privateFile,
                        Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                Files.writeString(
                        publicFile,
                        Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n",
                        StandardCharsets.UTF_8);
                return new CheckpointKey(pair.getPrivate(), pair.getPublic());
            }
            byte[] encoded = Base64.getDecoder()
                    .decode(Files.readString(privateFile, StandardCharsets.UTF_8)
                            .strip());
            PrivateKey priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(encoded));
            return new CheckpointKey(priv, readPublic(publicFile));
        } catch (IOException e) {
            throw new UncheckedIOException("audit checkpoint key " + privateFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "audit checkpoint key " + privateFile + " is not an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** A verifier from a public key file written by {@link #loadOrCreate}. */
    public static CheckpointKey verifier(Path publicFile) {
        try {
            return new CheckpointKey(null, readPublic(publicFile));
        } catch (IOException e) {
            throw new UncheckedIOException("audit checkpoint public key " + publicFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "audit checkpoint public key " + publicFile + " is not an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** First 16 hex digits of the SHA-256 of the public key: names the key in each checkpoint. */
    public String fingerprint() {
        return AuditRecord.sha256(Base64.getEncoder().encodeToString(publicKey.getEncoded()))
                .substring(0, 16);
    }

    /** Signs the chain head; needs the private key. */
    public AuditCheckpoint sign(long seq, String headHash, String time) {
        if (privateKey == null) {
            throw new IllegalStateException("this checkpoint key can only verify");
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(AuditCheckpoint.payload(seq, headHash, time));
            return new AuditCheckpoint(
                    seq, headHash, time, fingerprint(), Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the checkpoint was signed by this key's private half. */
    public boolean verifies(AuditCheckpoint checkpoint) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(publicKey);
            s.update(checkpoint.payload());
            return s.verify(Base64.getDecoder().decode(checkpoint.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey readPublic(Path publicFile) throws IOException, GeneralSecurityException {
        byte[] encoded = Base64.getDecoder()
                .decode(Files.readString(publicFile, StandardCharsets.UTF_8).strip());
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "CheckpointKey[" + fingerprint() + "]";
    }
}
