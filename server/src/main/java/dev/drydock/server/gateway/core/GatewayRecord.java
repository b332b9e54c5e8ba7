package dev.drydock.server.gateway.core;

import dev.drydock.server.classification.Classification;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The record of one gateway request, whatever its outcome: one per request, however many attempts
 * and fallbacks it took; tokens and cost are those of the attempt that produced the answer. Hashes
 * are SHA-256 of the exact prompt messages sent (after redaction) and of the completion.
 *
 * @param attempts one line per attempt: {@code endpoint: ok|kind message}
 * @param dlpFindings one entry per kind of secret found: {@code kind×count}; the secret itself is never recorded
 * @param tokenSource whether the token counts were reported by the server, counted with the endpoint's tokenizer or estimated
 */
public record GatewayRecord(
        String requestId,
        Instant at,
        String userSubject,
        String username,
        String workspace,
        @Nullable String sessionId,
        String droid,
        String purpose,
        String channel,
        Classification classification,
        @Nullable String endpoint,
        @Nullable String model,
        Outcome outcome,
        @Nullable String detail,
        long promptTokens,
        long completionTokens,
        TokenSource tokenSource,
        long latencyMillis,
        @Nullable Long ttftMillis,
        BigDecimal cost,
        @Nullable String promptSha256,
        @Nullable String completionSha256,
        List<String> attempts,
        List<String> dlpFindings) {

    /** True when the model server reported the token counts. */
    public boolean usageReported() {
        return tokenSource == TokenSource.USAGE;
    }
}
