package dev.drydock.server.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The model gateway's configuration ({@code drydock.gateway.*}). */
@ConfigMapping(prefix = "drydock.gateway")
public interface GatewayConfig {
    /**
     * Endpoints defined in configuration, by name (none by default): {@code drydock.gateway.endpoints.NAME.base-url},
     * {@code .model}, {@code .protocol}, {@code .secret-ref}, {@code .capabilities}, {@code .clearance}, {@code .tokenizer}
     * (absolute path of the model's tokenizer.json, to count tokens when the server reports no usage) and more, listed in
     * docs/gateway.md. Admins add more through the API.
     */
    Map<String, Endpoint> endpoints();

    /**
     * Routes defined in configuration, by name (none by default): {@code drydock.gateway.routes.NAME.endpoints}
     * (ordered), {@code .workspace}, {@code .droid}, {@code .purpose} (each {@code *} by default).
     */
    Map<String, Route> routes();

    /** Attempts per endpoint before falling back to the next one (retries on 429, 5xx, timeouts). */
    @WithDefault("2")
    int attemptsPerEndpoint();

    /** Backoff before the first retry; doubles per retry, a Retry-After header may lengthen it. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** The longest backoff between retries. */
    @WithDefault("2s")
    Duration maxBackoff();

    /** Consecutive failures that open an endpoint's circuit breaker. */
    @WithDefault("5")
    int breakerFailureThreshold();

    /** How long an open breaker keeps requests away before one trial request. */
    @WithDefault("30s")
    Duration breakerOpenFor();

    /** How long a request waits for a free slot at a busy endpoint before trying the next one. */
    @WithDefault("2s")
    Duration queueTimeout();

    /** The largest answer accepted from a model server, in bytes. */
    @WithDefault("16777216")
    long maxResponseBytes();

    /** What to do with secrets found in outbound prompts: redact, refuse or off. */
    @WithDefault("redact")
    String dlpPolicy();

    /** Classification of requests that do not state one (front door header X-Drydock-Classification). */
    @WithDefault("internal")
    String defaultClassification();

    /** The largest request body the /v1 front door accepts, in bytes. */
    @WithDefault("4194304")
    long maxRequestBytes();

    /** Whether /v1/embeddings loads the local embedding model (local-inference) on first use. */
    @WithDefault("true")
    boolean embeddingsEnabled();

    /**
     * The only folder an endpoint's {@code secretRef=file:/path} may read from (links are followed
     * before the check). Unset: file references are refused. Never point it at a folder holding other
     * server secrets (the appliance home, {@code drydock.secrets.key-file}).
     */
    Optional<String> secretsDir();

    /**
     * The prefix every environment variable named by an endpoint's {@code secretRef=env:VAR} must
     * start with, so that no other server variable (database password, OIDC secret) can be named.
     */
    @WithDefault("DRYDOCK_MODEL_SECRET_")
    String secretEnvPrefix();

    /** One endpoint in configuration. */
    interface Endpoint {
        /** API root, e.g. http://vllm.internal:8000/v1. */
        String baseUrl();

        /** openai-chat or ollama. */
        @WithDefault("openai-chat")
        String protocol();

        /** The model name the server expects. */
        String model();

        /** Header carrying the credential; Authorization sends "Bearer secret". */
        @WithDefault("Authorization")
        String authHeader();

        /** Where the credential is: env:VAR or file:/path (never the credential itself). */
        Optional<String> secretRef();

        /** Context window in tokens. */
        @WithDefault("8192")
        int contextWindow();

        /** Native capabilities: tools, streaming, json-mode. */
        @WithDefault("streaming")
        List<String> capabilities();

        /** Requests in flight at once. */
        @WithDefault("8")
        int maxConcurrency();

        /** TCP connect timeout. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** The longest a whole completion may take. */
        @WithDefault("300s")
        Duration requestTimeout();

        /** The longest the answer may stay silent. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Internal cost per 1000 prompt tokens. */
        @WithDefault("0")
        BigDecimal costPer1kPromptTokens();

        /** Internal cost per 1000 completion tokens. */
        @WithDefault("0")
        BigDecimal costPer1kCompletionTokens();

        /** Highest data classification this endpoint may receive: public, internal, confidential, secret. */
        @WithDefault("internal")
        String clearance();

        /**
         * Absolute path of the model's HuggingFace tokenizer.json (shipped in the air-gap bundle), to count tokens when the
         * server reports no usage; without it they are estimated.
         */
        Optional<String> tokenizer();
    }

    /** One route in configuration. */
    interface Route {
        /** Workspace slug or *. */
        @WithDefault("*")
        String workspace();

        /** Droid name or *. */
        @WithDefault("*")
        String droid();

        /** Purpose (plan, edit, summarize…) or *. */
        @WithDefault("*")
        String purpose();

        /** Endpoint names in the order to try them. */
        List<String> endpoints();
    }
}
