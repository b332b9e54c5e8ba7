package dev.drydock.server.egress;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A refused outbound request: which host, which URL (without query), for what, when, and the
 * session it was made for (null when the server made it for itself).
 */
public record EgressRefusal(
        String host,
        String url,
        String purpose,
        Instant at,
        @Nullable String session) {}
