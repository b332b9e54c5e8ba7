package dev.drydock.installer.bundle;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

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
            String text = "algorithm: " + ALGORITHM + "\nkey-sha256: " + BundleKeys.fingerprint(publicKey) + "\nsignature: " + Base64.getEncoder().encodeToString(s.sign()) + "\n";
            return text.getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + ALGORITHM + " key: " + e.getMessage(), e);
        }
    }

    /** Checks the signature file against the manifest and the trusted key; throws naming what is wrong. */
    public static void verify(PublicKey trusted, byte[] manifest, byte[] signatureFile) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(signatureFile, StandardCharsets.US_ASCII).split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 2).strip());
            }
        }
        if (!ALGORITHM.equals(fields.get("algorithm")) || !fields.containsKey("signature")) {
            throw new BundleRejectedException(BundleFormat.SIGNATURE, "not a Drydock bundle signature (expected algorithm " + ALGORITHM + " and a signature line)");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(fields.get("signature"));
        } catch (IllegalArgumentException e) {
            throw new BundleRejectedException(BundleFormat.SIGNATURE, "the signature is not base64");
        }
        boolean valid;
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(trusted);
            s.update(manifest);
            valid = s.verify(sig);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (valid) {
            return;
        }
        String expected = BundleKeys.fingerprint(trusted);
        String claimed = fields.getOrDefault("key-sha256", "?");
        if (!expected.equals(claimed)) {
            throw new BundleRejectedException(BundleFormat.SIGNATURE, "signed with key " + claimed + ", not with the trusted key " + expected);
        }
        throw new BundleRejectedException(BundleFormat.MANIFEST, "the signature does not match the manifest: the manifest was altered after signing");
    }
}
