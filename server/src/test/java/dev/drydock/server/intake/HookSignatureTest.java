package dev.drydock.server.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The webhook signature schemes against the vendors' documented test vectors: GitHub's "Validating
 * webhook deliveries" vector (secret {@code It's a Secret to Everybody}, payload {@code Hello,
 * World!}), which is the same HMAC-SHA256-of-the-raw-body scheme Gitea and Forgejo use (Gitea sends
 * the hex digest alone, and GitHub's {@code sha256=} form as {@code X-Hub-Signature-256}). GitHub
 * Enterprise Server and Bitbucket Data Center ({@code X-Hub-Signature}, "Webhook secrets": the same
 * {@code sha256=<hex>} of the raw body; Atlassian publishes no test vector) must send the prefixed form.
 */
class HookSignatureTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void shouldMatchDocumentedVectorWhenSigningPayload() {
        // When
        String hex = HookSignature.hmacHex(SECRET, PAYLOAD);

        // Then
        assertThat(hex).isEqualTo(EXPECTED);
    }

    @Test
    void shouldAcceptBothHeaderFormsWhenSignatureIsRight() {
        // When
        boolean bare = HookSignature.hmac(SECRET, PAYLOAD, EXPECTED);
        boolean prefixed = HookSignature.hmac(SECRET, PAYLOAD, "sha256=" + EXPECTED);

        // Then
        assertThat(bare).isTrue();
        assertThat(prefixed).isTrue();
    }

    @Test
    void shouldRefuseSignatureWhenBodyWasChanged() {
        // When
        boolean ok = HookSignature.hmac(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), EXPECTED);

        // Then
        assertThat(ok).isFalse();
    }

    @Test
    void shouldRefuseGitLabTokenWhenMissingOrDifferent() {
        // When
        boolean missing = HookSignature.gitlabToken("s3cret", null);
        boolean different = HookSignature.gitlabToken("s3cret", "s3cre7");
        boolean same = HookSignature.gitlabToken("s3cret", "s3cret");

        // Then
        assertThat(missing).isFalse();
        assertThat(different).isFalse();
        assertThat(same).isTrue();
    }

    @Test
    void shouldAcceptDocumentedVectorWhenHubSignatureCarriesPrefix() {
        // When
        boolean ok = HookSignature.hub(SECRET, PAYLOAD, "sha256=" + EXPECTED);

        // Then
        assertThat(ok).isTrue();
    }

    @Test
    void shouldRefuseHubSignatureWhenBareOrOfAnotherAlgorithm() {
        // When
        boolean bare = HookSignature.hub(SECRET, PAYLOAD, EXPECTED);
        boolean sha1 = HookSignature.hub(SECRET, PAYLOAD, "sha1=" + EXPECTED);
        boolean missing = HookSignature.hub(SECRET, PAYLOAD, null);
        boolean otherSecret = HookSignature.hub("It's a Secret to Everybody!", PAYLOAD, "sha256=" + EXPECTED);

        // Then
        assertThat(bare).isFalse();
        assertThat(sha1).isFalse();
        assertThat(missing).isFalse();
        assertThat(otherSecret).isFalse();
    }
}
