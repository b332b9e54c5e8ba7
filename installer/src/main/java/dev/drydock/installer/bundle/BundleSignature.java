package dev.drydock.installer.bundle;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * The signature file next to the manifest: {@code algorithm}, {@code key-sha256} (which key signed,
 * for the error message only) and the base64 Ed25519 signature over the manifest's exact bytes.
 */
public final class BundleSignature {
    private static final String ALGORITHM = "Ed25519";

    private BundleSignature() {}

    /** The signature file's bytes for a manifest. */
    public static byte[] sign(PrivateKey key, PublicKey publicKey, byte[] manifest) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(manifest);
            String text = "algorithm: " + ALGORITHM + "\nkey-sha256: " + BundleKeys.fingerprint(publicKey)
                    + "\nsignature: " + Base64.getEncoder().encodeToString(s.sign()) + "\n";
            return text.getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + ALGORITHM + " key: " + e.getMessage(), e);
        }
    }

    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(
            "algorithm: " + ALGORITHM + "\nkey-sha256: ([0-9a-f]{64})\nsignature: ([A-Za-z0-9+/]{86}==)\n");

    /**
     * Checks the signature file against the manifest and the trusted key; throws naming what is
     * wrong. The file must be exactly in the form {@link #sign} writes (it is not covered by the
     * signature itself, so nothing in it may vary), and must name the trusted key.
     */
    public static void verify(PublicKey trusted, byte[] manifest, byte[] signatureFile) {
        java.util.regex.Matcher m = FORMAT.matcher(new String(signatureFile, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            throw new BundleRejectedException(
                    BundleFormat.SIGNATURE,
                    "not a Drydock bundle signature (expected exactly the lines algorithm: " + ALGORITHM
                            + ", key-sha256: and signature:)");
        }
        String claimed = m.group(1);
        byte[] sig = Base64.getDecoder().decode(m.group(2));
        boolean valid;
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(trusted);
            s.update(manifest);
            valid = s.verify(sig);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        String expected = BundleKeys.fingerprint(trusted);
        if (!expected.equals(claimed)) {
            throw new BundleRejectedException(
                    BundleFormat.SIGNATURE, "signed with key " + claimed + ", not with the trusted key " + expected);
        }
        if (!valid) {
            throw new BundleRejectedException(
                    BundleFormat.MANIFEST,
                    "the signature does not match the manifest: the manifest or its signature was altered after signing");
        }
    }
}
