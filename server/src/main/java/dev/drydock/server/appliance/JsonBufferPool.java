package dev.drydock.server.appliance;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Jackson reuses its parse and write buffers through a pool that by default is one per thread. The
 * server does its work on virtual threads (sessions, gateway streams), each new and short-lived, so
 * every parse allocated fresh buffers: for the gateway that is every chunk of every stream. A shared,
 * bounded pool reuses them across threads.
 */
@Singleton
public class JsonBufferPool implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        pooled(mapper);
    }

    /** {@code mapper} with the shared pool; for mappers made outside the server, such as the benchmarks'. */
    public static ObjectMapper pooled(ObjectMapper mapper) {
        mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedBoundedPool());
        return mapper;
    }
}
