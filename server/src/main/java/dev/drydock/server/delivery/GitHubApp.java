package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A GitHub App's identity as the repository's stored credential holds it: a JSON object {@code
 * {"appId": "12", "installationId": "34", "privateKey": "-----BEGIN RSA PRIVATE KEY-----…"}}. It signs
 * the app's JSON Web Token (RS256, {@code iss} the app id, issued 60 s in the past against clock drift
 * and valid 9 minutes, as GitHub allows at most 10), which GitHub exchanges for installation tokens.
 * The private key is read from the credential each time and never leaves the server process.
 */
record GitHubApp(String appId, String installationId, PrivateKey key) {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return "GitHubApp[" + appId + ", installation " + installationId + ", ***]";
    }

    /** The app read from a stored credential, or empty when the credential is a plain token. */
    static Optional<GitHubApp> parse(String credential) throws GitServer.GitServerException {
        String c = credential.strip();
        if (!c.startsWith("{")) {
            return Optional.empty();
        }
        JsonNode n;
        try {
            n = JSON.readTree(c);
        } catch (java.io.IOException e) {
            throw new GitServer.GitServerException(0, "the GitHub App credential is not a JSON object");
        }
        String appId = n.path("appId").asText("");
        String installation = n.path("installationId").asText("");
        String pem = n.path("privateKey").asText("");
        if (!appId.matches("[A-Za-z0-9.]{1,64}") || !installation.matches("[0-9]{1,20}") || pem.isBlank()) {
            throw new GitServer.GitServerException(
                    0, "the GitHub App credential needs appId, installationId (a number) and privateKey (PEM)");
        }
        return Optional.of(new GitHubApp(appId, installation, privateKey(pem)));
    }

    /** The app's JSON Web Token for {@code now}. */
    String jwt(Instant now) throws GitServer.GitServerException {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iat", now.getEpochSecond() - 60);
        claims.put("exp", now.getEpochSecond() + 540);
        claims.put("iss", appId);
        try {
            String header = b64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = b64(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64(rs256.sign());
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new GitServer.GitServerException(0, "cannot sign the GitHub App's token: " + e.getMessage());
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An RSA key in PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what GitHub hands out). */
    static PrivateKey privateKey(String pem) throws GitServer.GitServerException {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs8(der) : der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new GitServer.GitServerException(0, "the GitHub App's privateKey is not an RSA private key in PEM");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an octet string). */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write((n >> 8) & 0xff);
            out.write(n & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
