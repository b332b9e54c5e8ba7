package dev.drydock.server.gateway.dlp;

/** What to do when an outbound prompt contains a secret. */
public enum DlpPolicy {
    /** Replace each secret with {@code [REDACTED:kind]} and send the rest. */
    REDACT,
    /** Refuse the whole request. */
    REFUSE,
    /** Do not scan. */
    OFF
}
