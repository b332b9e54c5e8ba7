package dev.drydock.server.droid;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Signs commits with an Ed25519 key in git's SSH signature format ({@code gpg.format=ssh}): the
 * armored SSHSIG blob of OpenSSH's PROTOCOL.sshsig, namespace {@code git}, hash {@code sha512}. Git
 * servers show such commits as verified once the public key ({@link #publicKey}) is registered;
 * {@code git verify-commit} checks them with an allowed-signers file. JDK cryptography only.
 */
public final class SshCommitSigner implements Signer {
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String NAMESPACE = "git";
    private static final String HASH = "sha512";
    private final KeyPair key;

    /** @param key an Ed25519 key pair */
    public SshCommitSigner(KeyPair key) {
        if (!key.getPublic().getAlgorithm().equals("EdDSA")
                && !key.getPublic().getAlgorithm().equals("Ed25519")) {
            throw new IllegalArgumentException(
                    "an Ed25519 key is required, not " + key.getPublic().getAlgorithm());
        }
        this.key = key;
    }

    /** The public key as an OpenSSH {@code authorized_keys} line ({@code ssh-ed25519 AAAA… comment}). */
    public String publicKey(String comment) {
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(publicKeyBlob())
                + (comment.isBlank() ? "" : " " + comment);
    }

    @Override
    public GpgSignature sign(
            Repository repository,
            GpgConfig config,
            byte[] data,
            PersonIdent committer,
            String signingKey,
            CredentialsProvider credentials) {
        return new GpgSignature(armored(data).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean canLocateSigningKey(
            Repository repository,
            GpgConfig config,
            PersonIdent committer,
            String signingKey,
            CredentialsProvider credentials) {
        return true;
    }

    /** The armored SSH signature of {@code data}. */
    String armored(byte[] data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(data);
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            DataOutputStream s = new DataOutputStream(signed);
            s.write(MAGIC);
            string(s, NAMESPACE.getBytes(StandardCharsets.US_ASCII));
            string(s, new byte[0]);
            string(s, HASH.getBytes(StandardCharsets.US_ASCII));
            string(s, digest);
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key.getPrivate());
            ed.update(signed.toByteArray());
            byte[] raw = ed.sign();
            ByteArrayOutputStream sig = new ByteArrayOutputStream();
            DataOutputStream g = new DataOutputStream(sig);
            string(g, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            string(g, raw);
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            DataOutputStream b = new DataOutputStream(blob);
            b.write(MAGIC);
            b.writeInt(1);
            string(b, publicKeyBlob());
            string(b, NAMESPACE.getBytes(StandardCharsets.US_ASCII));
            string(b, new byte[0]);
            string(b, HASH.getBytes(StandardCharsets.US_ASCII));
            string(b, sig.toByteArray());
            String base64 = Base64.getEncoder().encodeToString(blob.toByteArray());
            StringBuilder out = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
            for (int i = 0; i < base64.length(); i += 70) {
                out.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
            }
            return out.append("-----END SSH SIGNATURE-----").toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the appliance's key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SSH wire encoding of the public key: string "ssh-ed25519", string 32 raw bytes. */
    private byte[] publicKeyBlob() {
        byte[] x509 = key.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(out);
            string(d, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
            string(d, raw);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void string(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
