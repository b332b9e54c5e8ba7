package dev.drydock.server.droid;

import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.GatewayLlmModel;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.EndpointSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a session's model: every call goes through the model gateway (purpose = the profile's
 * route), so that each one is routed, budgeted, scanned for secrets, held to the egress allow-list and
 * sealed into the audit trail, whoever configured the endpoint.
 */
@ApplicationScoped
public class ModelRoutes {
    /** Context window assumed when nothing says otherwise. */
    static final long DEFAULT_WINDOW = 32_768;

    @Inject
    GatewayService gateway;

    /**
     * Who a session's model calls are made for. {@code endpoint}, when set, is the one endpoint every
     * call goes to whatever the routes say (a model promotion gate's session of a candidate).
     */
    public record Caller(
            String username,
            String workspace,
            String sessionId,
            String droid,
            String classification,
            @Nullable String endpoint) {
        public Caller(String username, String workspace, String sessionId, String droid, String classification) {
            this(username, workspace, sessionId, droid, classification, null);
        }
    }

    public LlmModel model(String route, Caller caller) {
        return new GatewayLlmModel(gateway::complete, context(route, caller));
    }

    /** A model whose requests carry the classification {@code level} gives at each call (the session's content so far). */
    public LlmModel model(String route, Caller caller, Supplier<Classification> level) {
        return new GatewayLlmModel(gateway::complete, context(route, caller), level);
    }

    /**
     * The highest classification any endpoint of the route is cleared for: content above it could
     * never be sent to a model of this route. Empty when the route has no endpoint.
     */
    public Optional<Classification> clearance(String route, Caller caller) {
        return gateway.resolve(context(route, caller)).stream()
                .map(EndpointSpec::clearance)
                .reduce(Classification::max);
    }

    /** The endpoints a session's calls on this route may reach, in order, as {@code name (base URL)}. */
    public List<String> endpoints(String route, Caller caller) {
        try {
            return gateway.resolve(context(route, caller)).stream()
                    .map(e -> e.name() + " (" + e.baseUrl() + ")")
                    .toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The context window of the endpoint the session would use first. */
    public long contextWindow(String route, Caller caller) {
        try {
            List<EndpointSpec> endpoints = gateway.resolve(context(route, caller));
            return endpoints.isEmpty() ? DEFAULT_WINDOW : endpoints.getFirst().contextWindow();
        } catch (RuntimeException e) {
            return DEFAULT_WINDOW;
        }
    }

    private CallContext context(String route, Caller caller) {
        Classification c = Classification.parse(caller.classification()).orElse(gateway.defaultClassification());
        return new CallContext(
                caller.username(),
                caller.username(),
                caller.workspace(),
                caller.sessionId(),
                caller.droid(),
                route,
                caller.endpoint(),
                c,
                "droid");
    }
}
