package dev.drydock.server.gateway.admin;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a route change must pass before it sends traffic to an endpoint: the model promotion gate
 * (implemented by {@code server.promotion}, so that the gateway does not know how models are
 * tested). Every call runs in the route change's transaction, so an override is recorded and
 * audited together with the route, or not at all.
 */
public interface RouteGate {
    /** A drydock-admin's decision to route to endpoints without a passing gate run, and why. */
    record GateOverride(@Nullable String reason) {}

    /**
     * Refuses (409 problem+json saying what to do) when one of {@code added} has no passing gate
     * report against its current URL and model id, unless {@code override} gives a reason: then the
     * override is recorded and audited ({@code model.gate-overridden}) for each such endpoint.
     */
    void admit(String actor, String route, List<String> added, @Nullable GateOverride override);

    /**
     * The same check for an endpoint that routes already send traffic to and whose URL or model id is
     * about to change to {@code changed}: the new model must have passed the gate too (as its own
     * endpoint first), or {@code override} must give a reason, audited for each route in {@code routes}.
     */
    void admitChange(String actor, List<String> routes, EndpointSpecView changed, @Nullable GateOverride override);

    /** What the gate needs to know of an endpoint whose URL or model id changes. */
    record EndpointSpecView(String name, String baseUrl, String modelId) {}

    /** The first route of a fresh install: an explicit, audited bootstrap override for {@code endpoint}. */
    void bootstrap(String actor, String route, String endpoint);

    /** The endpoint's gate state as a route shows it: {@code passed}, {@code not gated}, {@code failed} or {@code running}. */
    String status(String endpoint);
}
