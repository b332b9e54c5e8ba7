package dev.drydock.server.gateway.admin;

import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.UniqueViolation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Stored endpoints and routes (tables {@code model_endpoint}, {@code model_route}) and allowed model hosts, through native queries. */
@ApplicationScoped
public class GatewayStore {
    @Inject
    EntityManager em;

    public List<EndpointSpec> endpoints() {
        return rows(
                        "select name, base_url, protocol, model_id, auth_header, secret_ref, context_window, capabilities, max_concurrency, connect_timeout_ms, "
                                + "request_timeout_ms, idle_timeout_ms, cost_prompt, cost_completion, clearance, tokenizer from model_endpoint order by name")
                .stream()
                .map(r -> new EndpointSpec(
                        (String) r[0],
                        URI.create((String) r[1]),
                        Protocol.parse((String) r[2]).orElse(Protocol.OPENAI_CHAT),
                        (String) r[3],
                        (String) r[4],
                        (String) r[5],
                        (int) Columns.longValue(r[6]),
                        capabilities((String) r[7]),
                        (int) Columns.longValue(r[8]),
                        Duration.ofMillis(Columns.longValue(r[9])),
                        Duration.ofMillis(Columns.longValue(r[10])),
                        Duration.ofMillis(Columns.longValue(r[11])),
                        (BigDecimal) r[12],
                        (BigDecimal) r[13],
                        Classification.parse((String) r[14]).orElse(Classification.PUBLIC),
                        (String) r[15]))
                .toList();
    }

    static Set<Capability> capabilities(String text) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Capability::parse)
                .forEach(o -> o.ifPresent(caps::add));
        return caps;
    }

    public void upsert(EndpointSpec e) {
        String sql = """
                insert into model_endpoint (name, base_url, protocol, model_id, auth_header, secret_ref, context_window, capabilities,
                    max_concurrency, connect_timeout_ms, request_timeout_ms, idle_timeout_ms, cost_prompt, cost_completion, clearance, tokenizer, updated_at)
                values (?1, ?2, ?3, ?4, cast(?5 as text), cast(?6 as text), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, cast(?16 as text), now())
                on conflict (name) do update set base_url = excluded.base_url, protocol = excluded.protocol, model_id = excluded.model_id,
                    auth_header = excluded.auth_header, secret_ref = excluded.secret_ref, context_window = excluded.context_window,
                    capabilities = excluded.capabilities, max_concurrency = excluded.max_concurrency,
                    connect_timeout_ms = excluded.connect_timeout_ms, request_timeout_ms = excluded.request_timeout_ms,
                    idle_timeout_ms = excluded.idle_timeout_ms, cost_prompt = excluded.cost_prompt,
                    cost_completion = excluded.cost_completion, clearance = excluded.clearance, tokenizer = excluded.tokenizer, updated_at = now()
                """;
        update(
                sql,
                e.name(),
                e.baseUrl().toString(),
                e.protocol().label(),
                e.modelId(),
                e.authHeader(),
                e.secretRef(),
                e.contextWindow(),
                e.capabilities().stream().map(Capability::label).sorted().collect(Collectors.joining(",")),
                e.maxConcurrency(),
                e.connectTimeout().toMillis(),
                e.requestTimeout().toMillis(),
                e.idleTimeout().toMillis(),
                e.costPer1kPromptTokens(),
                e.costPer1kCompletionTokens(),
                e.clearance().label(),
                e.tokenizer());
    }

    public boolean deleteEndpoint(String name) {
        return update("delete from model_endpoint where name = ?1", name) > 0;
    }

    public List<RouteSpec> routes() {
        return rows("select name, workspace, droid, purpose, endpoints from model_route order by name").stream()
                .map(r -> new RouteSpec(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        Arrays.stream(((String) r[4]).split(","))
                                .filter(s -> !s.isBlank())
                                .toList()))
                .toList();
    }

    /** Stores a route; false when another route already has its (workspace, droid, purpose). */
    public boolean upsert(RouteSpec r) {
        String sql = """
                insert into model_route (name, workspace, droid, purpose, endpoints) values (?1, ?2, ?3, ?4, ?5)
                on conflict (name) do update set workspace = excluded.workspace, droid = excluded.droid,
                    purpose = excluded.purpose, endpoints = excluded.endpoints
                """;
        try {
            update(sql, r.name(), r.workspace(), r.droid(), r.purpose(), String.join(",", r.endpoints()));
            return true;
        } catch (RuntimeException ex) {
            if (UniqueViolation.causes(ex)) {
                return false;
            }
            throw ex;
        }
    }

    public boolean deleteRoute(String name) {
        return update("delete from model_route where name = ?1", name) > 0;
    }

    /** Runs a native statement with its positional parameters ({@code ?} in order) in the caller's transaction or one of its own. */
    private int update(String sql, @org.jspecify.annotations.Nullable Object... params) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> bind(em.createNativeQuery(sql), params).executeUpdate());
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Object... params) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> bind(em.createNativeQuery(sql), params).getResultList());
    }

    private static Query bind(Query query, Object... params) {
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }

    /** A model server host a drydock-admin let through the egress allow-list, and why. */
    public record ModelHost(String host, String reason, String addedBy, String addedAt) {}

    /** Model hosts allowed through the audited admin action (table {@code egress_host}). */
    public List<ModelHost> modelHosts() {
        return rows("select host, reason, added_by, added_at from egress_host order by host").stream()
                .map(r -> new ModelHost(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        Columns.instant(r[3]).toString()))
                .toList();
    }

    /** Stores an allowed model host; false when it was already allowed. */
    public boolean allowModelHost(String host, String reason, String by) {
        return update(
                        "insert into egress_host (host, reason, added_by) values (?1, ?2, ?3) on conflict (host) do nothing",
                        host,
                        reason,
                        by)
                > 0;
    }

    /** Removes an allowed model host; false when it was not allowed. */
    public boolean withdrawModelHost(String host) {
        return update("delete from egress_host where host = ?1", host) > 0;
    }
}
