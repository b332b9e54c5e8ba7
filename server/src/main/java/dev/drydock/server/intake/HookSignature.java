package dev.drydock.server.intake;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The vendors' webhook authentication schemes, compared in constant time: GitLab sends the secret
 * itself ({@code X-Gitlab-Token}); Gitea and Forgejo send the HMAC-SHA256 of the raw body under the
 * secret as hex ({@code X-Gitea-Signature}), GitHub as {@code sha256=<hex>} ({@code
 * X-Hub-Signature-256}, which Gitea sends too), Bitbucket Data Center the same {@code sha256=<hex>} as
 * {@code X-Hub-Signature}.
 */
final class HookSignature {
    private HookSignature() {}

    /** GitLab: the token header equals the secret. */
    static boolean gitlabToken(String secret, @Nullable String header) {
        return header != null
                && MessageDigest.isEqual(
                        secret.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of {@code body} under {@code secret}, lower-case hex. */
    static String hmacHex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Gitea/Forgejo ({@code <hex>}) or GitHub-style ({@code sha256=<hex>}) signature of the raw body. */
    static boolean hmac(String secret, byte[] body, @Nullable String header) {
        if (header == null) {
            return false;
        }
        String given = header.strip().toLowerCase(Locale.ROOT);
        if (given.startsWith("sha256=")) {
            given = given.substring("sha256=".length());
        }
        return MessageDigest.isEqual(
                hmacHex(secret, body).getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * GitHub Enterprise Server ({@code X-Hub-Signature-256}) and Bitbucket Data Center ({@code
     * X-Hub-Signature}): exactly {@code sha256=<hex>} of the raw body; a bare digest or another
     * algorithm ({@code sha1=}) is refused.
     */
    static boolean hub(String secret, byte[] body, @Nullable String header) {
        return header != null
                && header.strip().regionMatches(true, 0, "sha256=", 0, "sha256=".length())
                && hmac(secret, body, header);
    }

    /** SHA-256 of the body, hex: what a replayed body is recognised by. */
    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
