package dev.drydock.server.gateway.core;

import dev.drydock.server.classification.Classification;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One model server the gateway may call. {@code secretRef} names where the credential lives
 * ({@code env:VAR} or {@code file:/path}); the credential itself is never part of the spec.
 *
 * @param baseUrl the API root, for OpenAI-compatible servers usually ending in {@code /v1}
 * @param authHeader the header carrying the credential; for {@code Authorization} the value is sent as {@code Bearer <secret>}
 * @param maxConcurrency requests in flight at once; more wait in a queue up to the gateway's queue timeout
 * @param requestTimeout the longest a whole completion may take
 * @param idleTimeout the longest the stream may stay silent (a stalled server)
 * @param tokenizer absolute path of the model's HuggingFace {@code tokenizer.json}, to count tokens when the server reports no usage; null to estimate
 */
public record EndpointSpec(
        String name,
        URI baseUrl,
        Protocol protocol,
        String modelId,
        String authHeader,
        @Nullable String secretRef,
        int contextWindow,
        Set<Capability> capabilities,
        int maxConcurrency,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration idleTimeout,
        BigDecimal costPer1kPromptTokens,
        BigDecimal costPer1kCompletionTokens,
        Classification clearance,
        @Nullable String tokenizer) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern SECRET_REF = Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** One problem with a spec, for problem+json {@code errors}. */
    public record Violation(String field, String message) {}

    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }

    /** The host the gateway will contact, lower case. */
    public String host() {
        return String.valueOf(baseUrl.getHost()).toLowerCase(Locale.ROOT);
    }

    /** The cost of one request, from the per-1k prices. */
    public BigDecimal cost(long promptTokens, long completionTokens) {
        return costPer1kPromptTokens
                .multiply(BigDecimal.valueOf(promptTokens))
                .add(costPer1kCompletionTokens.multiply(BigDecimal.valueOf(completionTokens)))
                .divide(BigDecimal.valueOf(1000), 6, java.math.RoundingMode.HALF_UP);
    }

    /** Checks the fields; an empty list means valid. */
    public static List<Violation> validate(
            @Nullable String name,
            @Nullable String baseUrl,
            @Nullable String protocol,
            @Nullable String modelId,
            @Nullable String authHeader,
            @Nullable String secretRef,
            @Nullable Integer contextWindow,
            @Nullable List<String> capabilities,
            @Nullable Integer maxConcurrency,
            @Nullable Long connectTimeoutMs,
            @Nullable Long requestTimeoutMs,
            @Nullable Long idleTimeoutMs,
            @Nullable BigDecimal costPrompt,
            @Nullable BigDecimal costCompletion,
            @Nullable String clearance,
            @Nullable String tokenizer) {
        List<Violation> v = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            v.add(new Violation(
                    "name", "must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        }
        if (baseUrl == null || baseUrl.isBlank()) {
            v.add(new Violation("baseUrl", "is required, for example http://vllm.internal:8000/v1"));
        } else {
            try {
                URI uri = new URI(baseUrl);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    v.add(new Violation(
                            "baseUrl", "must be an absolute http(s) URL with a host, got '" + baseUrl + "'"));
                } else if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    v.add(new Violation(
                            "baseUrl",
                            "must not contain a query, fragment or user info (put credentials in secretRef)"));
                }
            } catch (java.net.URISyntaxException e) {
                v.add(new Violation("baseUrl", "is not a valid URL: " + e.getReason()));
            }
        }
        if (protocol == null || Protocol.parse(protocol).isEmpty()) {
            v.add(new Violation("protocol", "must be one of openai-chat, ollama"));
        }
        if (modelId == null || modelId.isBlank()) {
            v.add(new Violation("modelId", "is required: the model name the server expects"));
        }
        if (authHeader != null && !HEADER.matcher(authHeader).matches()) {
            v.add(new Violation("authHeader", "must be an HTTP header name"));
        }
        if (secretRef != null
                && !secretRef.isBlank()
                && !SECRET_REF.matcher(secretRef).matches()) {
            v.add(new Violation(
                    "secretRef", "must be env:VARIABLE or file:/absolute/path (the secret itself is never stored)"));
        }
        positive(v, "contextWindow", contextWindow);
        positive(v, "maxConcurrency", maxConcurrency);
        positive(v, "connectTimeoutMs", connectTimeoutMs);
        positive(v, "requestTimeoutMs", requestTimeoutMs);
        positive(v, "idleTimeoutMs", idleTimeoutMs);
        if (costPrompt != null && costPrompt.signum() < 0) {
            v.add(new Violation("costPer1kPromptTokens", "must not be negative"));
        }
        if (costCompletion != null && costCompletion.signum() < 0) {
            v.add(new Violation("costPer1kCompletionTokens", "must not be negative"));
        }
        if (capabilities != null) {
            for (String c : capabilities) {
                if (Capability.parse(c).isEmpty()) {
                    v.add(new Violation(
                            "capabilities", "unknown capability '" + c + "'; known: tools, streaming, json-mode"));
                }
            }
        }
        if (clearance != null && Classification.parse(clearance).isEmpty()) {
            v.add(new Violation("clearance", "must be one of " + Classification.labels()));
        }
        if (tokenizer != null && !tokenizer.startsWith("/")) {
            v.add(new Violation(
                    "tokenizer",
                    "must be the absolute path of a tokenizer.json on the server, got '" + tokenizer + "'"));
        }
        return v;
    }

    private static void positive(List<Violation> v, String field, @Nullable Number n) {
        if (n != null && n.longValue() <= 0) {
            v.add(new Violation(field, "must be greater than 0"));
        }
    }
}
