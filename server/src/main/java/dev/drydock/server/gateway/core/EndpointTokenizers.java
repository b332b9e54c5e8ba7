package dev.drydock.server.gateway.core;

import java.util.Optional;
import java.util.function.ToLongFunction;

/** The tokenizer an endpoint is configured with ({@link EndpointSpec#tokenizer()}), as a token counter. */
@FunctionalInterface
public interface EndpointTokenizers {
    /** No endpoint has a tokenizer: counts are estimated. */
    EndpointTokenizers NONE = endpoint -> Optional.empty();

    /** The endpoint's token counter; empty when it has no tokenizer or its tokenizer cannot be loaded. */
    Optional<ToLongFunction<String>> counter(EndpointSpec endpoint);
}
