package dev.drydock.server.droid;

import dev.drydock.server.repository.RepositoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The appliance's commit-signing key: an Ed25519 key pair kept under the repositories' data folder
 * ({@code <drydock.repos.data-dir>/signing/}, private key readable by the server's user only),
 * created on first use. Droid commits are signed with it ({@link SshCommitSigner}); its public key is
 * what an admin registers on the git server so that the commits show as verified.
 */
@ApplicationScoped
public class ApplianceSigningKey {
    /** The comment of the public key line. */
    public static final String COMMENT = "drydock-appliance";

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ApplianceSigningKey.class);

    @Inject
    RepositoryConfig config;

    private volatile @Nullable SshCommitSigner signer; // loaded on first use

    /** The signer, loading or creating the key on first use. */
    public SshCommitSigner signer() {
        SshCommitSigner s = signer;
        if (s == null) {
            synchronized (this) {
                if (signer == null) {
                    signer = new SshCommitSigner(
                            load(Path.of(config.dataDir()).toAbsolutePath().resolve("signing")));
                }
                s = signer;
            }
        }
        return s;
    }

    /** The signer, or empty (logged) when the key can be neither read nor created: commits are then unsigned. */
    public java.util.Optional<SshCommitSigner> available() {
        try {
            return java.util.Optional.of(signer());
        } catch (RuntimeException e) {
            LOG.warnf("droid commits are not signed: %s", e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** The public key as an OpenSSH line, to register on the git server. */
    public String publicKey() {
        return signer().publicKey(COMMENT);
    }

    static KeyPair load(Path dir) {
        Path privateKey = dir.resolve("drydock_ed25519.pk8");
        Path publicKey = dir.resolve("drydock_ed25519.x509");
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.exists(privateKey) && Files.exists(publicKey)) {
                PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateKey)));
                PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicKey)));
                return new KeyPair(pub, priv);
            }
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path tmp = Files.createTempFile(
                    dir,
                    "key-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, pair.getPrivate().getEncoded());
            Files.move(tmp, privateKey, StandardCopyOption.ATOMIC_MOVE);
            Files.write(publicKey, pair.getPublic().getEncoded());
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the appliance's signing key in " + dir + " cannot be read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the appliance's signing key in " + dir + " cannot be read or created", e);
        }
    }
}
