package dev.drydock.server.limits;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits on request bodies, applied to every endpoint before any resource reads the body. Safe for
 * static init: Quarkus builds the ObjectMapper (and runs {@link JsonLimits}) that early.
 */
@StaticInitSafe
@ConfigMapping(prefix = "drydock.http")
public interface RequestLimitsConfig {
    /**
     * The largest request body {@code /api}, {@code /portal} and every other path accept; a larger
     * one is refused with 413 before it is read. The {@code /v1} front door has its own limit
     * ({@code drydock.gateway.max-request-bytes}). A body sent without a length (chunked) is refused
     * with 411: it could only be measured by reading it.
     */
    @WithDefault("4M")
    MemorySize maxBodySize();

    /**
     * How deeply JSON objects and arrays may nest in a request body (every JSON endpoint, {@code /v1}
     * included); deeper documents are refused with 400 before they are bound. Stops stack and memory
     * exhaustion by documents such as a million nested brackets.
     */
    @WithDefault("64")
    int maxJsonDepth();

    /** The longest string value (in characters) a JSON request body may hold; longer ones are refused with 400. */
    @WithDefault("1000000")
    int maxJsonStringLength();
}
