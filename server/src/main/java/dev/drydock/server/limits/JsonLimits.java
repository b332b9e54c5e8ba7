package dev.drydock.server.limits;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Puts {@code drydock.http.max-json-depth} and {@code max-json-string-length} on the server's
 * ObjectMapper, the one that reads every JSON request body ({@code /api} resources and the {@code /v1}
 * front door). A body beyond them fails with a {@link StreamConstraintsException}, which {@link
 * dev.drydock.server.problem.JsonLimitMessages} turns into a message for the caller.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {
    @Inject
    RequestLimitsConfig config;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(config.maxJsonDepth())
                        .maxStringLength(config.maxJsonStringLength())
                        .build());
    }
}
