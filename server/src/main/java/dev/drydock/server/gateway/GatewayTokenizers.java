package dev.drydock.server.gateway;

import dev.drydock.inference.ModelLoadException;
import dev.drydock.inference.TokenizerFile;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.EndpointTokenizers;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The endpoints' tokenizer files (local-inference), each loaded once on first use and shared by the
 * endpoints that name it. A file that cannot be loaded is logged once and its endpoint's counts are
 * estimated until the endpoints are next refreshed.
 */
@ApplicationScoped
public class GatewayTokenizers implements EndpointTokenizers {
    private static final Logger LOG = Logger.getLogger(GatewayTokenizers.class);

    /** A loaded tokenizer, or why it could not be loaded. */
    private record Loaded(Optional<TokenizerFile> tokenizer, String problem) {}

    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    @Override
    public Optional<ToLongFunction<String>> counter(EndpointSpec endpoint) {
        String path = endpoint.tokenizer();
        if (path == null) {
            return Optional.empty();
        }
        return load(path).tokenizer().map(t -> t::count);
    }

    /** Why a tokenizer file cannot be used, or empty when it loads (an admin's endpoint is checked before it is stored). */
    public Optional<String> problem(String path) {
        Loaded l = load(path);
        if (l.tokenizer().isEmpty()) {
            loaded.remove(path, l);
            return Optional.of(l.problem());
        }
        return Optional.empty();
    }

    private Loaded load(String path) {
        return loaded.computeIfAbsent(path, p -> {
            try {
                return new Loaded(Optional.of(TokenizerFile.load(Path.of(p))), "");
            } catch (ModelLoadException | LinkageError e) {
                LOG.warnf(
                        "tokenizer %s cannot be loaded, token counts of its endpoints are estimated: %s",
                        p, e.getMessage());
                return new Loaded(Optional.empty(), Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
        });
    }

    /** Forgets files no endpoint names any more, and failures (so that a fixed file is picked up). */
    void retain(Collection<EndpointSpec> endpoints) {
        Set<String> used = endpoints.stream()
                .map(EndpointSpec::tokenizer)
                .filter(t -> t != null)
                .collect(Collectors.toSet());
        loaded.entrySet().removeIf(e -> {
            boolean drop =
                    !used.contains(e.getKey()) || e.getValue().tokenizer().isEmpty();
            if (drop) {
                e.getValue().tokenizer().ifPresent(TokenizerFile::close);
            }
            return drop;
        });
    }

    @PreDestroy
    void close() {
        loaded.values().forEach(l -> l.tokenizer().ifPresent(TokenizerFile::close));
        loaded.clear();
    }
}
