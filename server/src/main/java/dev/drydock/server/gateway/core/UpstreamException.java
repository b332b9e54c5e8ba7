package dev.drydock.server.gateway.core;

import org.jspecify.annotations.Nullable;

/** An endpoint failed to answer one attempt; {@code kind} decides whether to retry, fall back or stop. */
public final class UpstreamException extends Exception {
    /** Why an attempt failed. */
    public enum Kind {
        /** 429: retry after a backoff, then fall back. */
        RATE_LIMITED(true, true),
        /** 5xx: retry, then fall back. */
        SERVER_ERROR(true, true),
        /** No answer or a stalled stream: retry, then fall back. */
        TIMEOUT(true, true),
        /** Cannot connect: retry, then fall back. */
        CONNECT(true, true),
        /** The stream broke off (truncated SSE): retry, then fall back. */
        TRUNCATED(true, true),
        /** HTML, invalid JSON, non-UTF-8 bytes, a 404: not a model server answer; fall back. */
        BAD_RESPONSE(false, true),
        /** The answer exceeds the size limit: fall back. */
        TOO_LARGE(false, true),
        /** 401/403 from the model server: the configured credential is wrong; fall back. */
        AUTH(false, true),
        /** The host is not allowed by the egress guard: fall back. */
        EGRESS_REFUSED(false, true),
        /** 400/422: the request itself is wrong; neither retry nor fall back. */
        CLIENT_ERROR(false, false),
        /** The caller cancelled. */
        CANCELLED(false, false);

        private final boolean retry;
        private final boolean fallback;

        Kind(boolean retry, boolean fallback) {
            this.retry = retry;
            this.fallback = fallback;
        }

        public boolean retryable() {
            return retry;
        }

        public boolean fallsBack() {
            return fallback;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    private final boolean emitted;
    private final @Nullable Long retryAfterMillis;

    public UpstreamException(Kind kind, @Nullable String message, boolean emitted, @Nullable Long retryAfterMillis) {
        super(message, null, false, false);
        this.kind = kind;
        this.emitted = emitted;
        this.retryAfterMillis = retryAfterMillis;
    }

    public UpstreamException(Kind kind, @Nullable String message) {
        this(kind, message, false, null);
    }

    public Kind kind() {
        return kind;
    }

    /** True when some events were already delivered to the caller before the failure. */
    public boolean emitted() {
        return emitted;
    }

    public @Nullable Long retryAfterMillis() {
        return retryAfterMillis;
    }

    public UpstreamException withEmitted(boolean e) {
        return new UpstreamException(kind, getMessage(), e, retryAfterMillis);
    }
}
