package dev.drydock.server.gateway.admin;

import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.RouteSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Stored endpoints and routes (tables {@code model_endpoint}, {@code model_route}), plain JDBC. */
@ApplicationScoped
public class GatewayStore {
    @Inject DataSource dataSource;

    public List<EndpointSpec> endpoints() {
        List<EndpointSpec> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select * from model_endpoint order by name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new EndpointSpec(rs.getString("name"), URI.create(rs.getString("base_url")),
                        Protocol.parse(rs.getString("protocol")).orElse(Protocol.OPENAI_CHAT), rs.getString("model_id"),
                        rs.getString("auth_header"), rs.getString("secret_ref"), rs.getInt("context_window"),
                        capabilities(rs.getString("capabilities")), rs.getInt("max_concurrency"),
                        Duration.ofMillis(rs.getLong("connect_timeout_ms")), Duration.ofMillis(rs.getLong("request_timeout_ms")),
                        Duration.ofMillis(rs.getLong("idle_timeout_ms")), rs.getBigDecimal("cost_prompt"), rs.getBigDecimal("cost_completion"),
                        Classification.parse(rs.getString("clearance")).orElse(Classification.PUBLIC), rs.getString("tokenizer")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read model endpoints", e);
        }
        return out;
    }

    static Set<Capability> capabilities(String text) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Capability::parse).forEach(o -> o.ifPresent(caps::add));
        return caps;
    }

    public void upsert(EndpointSpec e) {
        String sql = """
                insert into model_endpoint (name, base_url, protocol, model_id, auth_header, secret_ref, context_window, capabilities,
                    max_concurrency, connect_timeout_ms, request_timeout_ms, idle_timeout_ms, cost_prompt, cost_completion, clearance, tokenizer, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                on conflict (name) do update set base_url = excluded.base_url, protocol = excluded.protocol, model_id = excluded.model_id,
                    auth_header = excluded.auth_header, secret_ref = excluded.secret_ref, context_window = excluded.context_window,
                    capabilities = excluded.capabilities, max_concurrency = excluded.max_concurrency,
                    connect_timeout_ms = excluded.connect_timeout_ms, request_timeout_ms = excluded.request_timeout_ms,
                    idle_timeout_ms = excluded.idle_timeout_ms, cost_prompt = excluded.cost_prompt,
                    cost_completion = excluded.cost_completion, clearance = excluded.clearance, tokenizer = excluded.tokenizer, updated_at = now()
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, e.name());
            ps.setString(2, e.baseUrl().toString());
            ps.setString(3, e.protocol().label());
            ps.setString(4, e.modelId());
            ps.setString(5, e.authHeader());
            ps.setString(6, e.secretRef());
            ps.setInt(7, e.contextWindow());
            ps.setString(8, e.capabilities().stream().map(Capability::label).sorted().collect(Collectors.joining(",")));
            ps.setInt(9, e.maxConcurrency());
            ps.setLong(10, e.connectTimeout().toMillis());
            ps.setLong(11, e.requestTimeout().toMillis());
            ps.setLong(12, e.idleTimeout().toMillis());
            ps.setBigDecimal(13, e.costPer1kPromptTokens());
            ps.setBigDecimal(14, e.costPer1kCompletionTokens());
            ps.setString(15, e.clearance().label());
            ps.setString(16, e.tokenizer());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot store model endpoint", ex);
        }
    }

    public boolean deleteEndpoint(String name) {
        return update("delete from model_endpoint where name = ?", name) > 0;
    }

    public List<RouteSpec> routes() {
        List<RouteSpec> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select * from model_route order by name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RouteSpec(rs.getString("name"), rs.getString("workspace"), rs.getString("droid"), rs.getString("purpose"),
                        Arrays.stream(rs.getString("endpoints").split(",")).filter(s -> !s.isBlank()).toList()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read model routes", e);
        }
        return out;
    }

    /** Stores a route; false when another route already has its (workspace, droid, purpose). */
    public boolean upsert(RouteSpec r) {
        String sql = """
                insert into model_route (name, workspace, droid, purpose, endpoints) values (?, ?, ?, ?, ?)
                on conflict (name) do update set workspace = excluded.workspace, droid = excluded.droid,
                    purpose = excluded.purpose, endpoints = excluded.endpoints
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.name());
            ps.setString(2, r.workspace());
            ps.setString(3, r.droid());
            ps.setString(4, r.purpose());
            ps.setString(5, String.join(",", r.endpoints()));
            ps.executeUpdate();
            return true;
        } catch (SQLException ex) {
            if ("23505".equals(ex.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("cannot store model route", ex);
        }
    }

    public boolean deleteRoute(String name) {
        return update("delete from model_route where name = ?", name) > 0;
    }

    private int update(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update gateway tables", e);
        }
    }

    /** A model server host a drydock-admin let through the egress allow-list, and why. */
    public record ModelHost(String host, String reason, String addedBy, String addedAt) {}

    /** Model hosts allowed through the audited admin action (table {@code egress_host}). */
    public List<ModelHost> modelHosts() {
        List<ModelHost> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select host, reason, added_by, added_at from egress_host order by host");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ModelHost(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant().toString()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read allowed model hosts", e);
        }
        return out;
    }

    /** Stores an allowed model host; false when it was already allowed. */
    public boolean allowModelHost(String host, String reason, String by) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into egress_host (host, reason, added_by) values (?, ?, ?) on conflict (host) do nothing")) {
            ps.setString(1, host);
            ps.setString(2, reason);
            ps.setString(3, by);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store an allowed model host", e);
        }
    }

    /** Removes an allowed model host; false when it was not allowed. */
    public boolean withdrawModelHost(String host) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from egress_host where host = ?")) {
            ps.setString(1, host);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove an allowed model host", e);
        }
    }
}
