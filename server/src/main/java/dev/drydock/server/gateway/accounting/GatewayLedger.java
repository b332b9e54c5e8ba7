package dev.drydock.server.gateway.accounting;

import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.GatewayRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/** The accounting table {@code gateway_request}: one row per gateway request, and the sums budgets need. */
@ApplicationScoped
public class GatewayLedger implements GatewayRecorder {
    private static final Logger LOG = Logger.getLogger(GatewayLedger.class);

    @Inject DataSource dataSource;

    @Override
    public void record(GatewayRecord r) {
        String sql = """
                insert into gateway_request (id, created_at, user_subject, username, workspace, session_id, droid, purpose, channel,
                    classification, endpoint, model, outcome, detail, prompt_tokens, completion_tokens, usage_reported, token_source,
                    latency_ms, ttft_ms, cost, prompt_sha256, completion_sha256, attempts, dlp_findings)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, r.requestId());
            ps.setTimestamp(i++, Timestamp.from(r.at()));
            ps.setString(i++, r.userSubject());
            ps.setString(i++, r.username());
            ps.setString(i++, r.workspace());
            ps.setString(i++, r.sessionId());
            ps.setString(i++, r.droid());
            ps.setString(i++, r.purpose());
            ps.setString(i++, r.channel());
            ps.setString(i++, r.classification().label());
            ps.setString(i++, r.endpoint());
            ps.setString(i++, r.model());
            ps.setString(i++, r.outcome().label());
            ps.setString(i++, r.detail() == null ? null : truncate(r.detail(), 2000));
            ps.setLong(i++, r.promptTokens());
            ps.setLong(i++, r.completionTokens());
            ps.setBoolean(i++, r.usageReported());
            ps.setString(i++, r.tokenSource().label());
            ps.setLong(i++, r.latencyMillis());
            if (r.ttftMillis() == null) {
                ps.setNull(i++, Types.BIGINT);
            } else {
                ps.setLong(i++, r.ttftMillis());
            }
            ps.setBigDecimal(i++, r.cost());
            ps.setString(i++, r.promptSha256());
            ps.setString(i++, r.completionSha256());
            ps.setString(i++, truncate(String.join("\n", r.attempts()), 8000));
            ps.setString(i++, String.join(",", r.dlpFindings()));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf("cannot record gateway request %s: %s", r.requestId(), e.getMessage());
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** Tokens and cost used since {@code since} by rows whose {@code column} equals {@code value}. */
    public Spent spent(String column, String value, Instant since) {
        if (!List.of("username", "workspace", "session_id").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        String sql = "select coalesce(sum(prompt_tokens + completion_tokens), 0), coalesce(sum(cost), 0) from gateway_request where "
                + column + " = ? and created_at >= ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Spent(rs.getLong(1), rs.getBigDecimal(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot sum gateway usage", e);
        }
    }

    /** Usage sums. */
    public record Spent(long tokens, BigDecimal cost) {}

    /** One recorded request as the admin API shows it. */
    public record RequestView(String id, Instant at, String username, String workspace, @Nullable String sessionId, String purpose, String channel,
            String classification, @Nullable String endpoint, @Nullable String model, String outcome, @Nullable String detail, long promptTokens,
            long completionTokens, boolean usageReported, String tokenSource, long latencyMs, @Nullable Long ttftMs, BigDecimal cost, @Nullable String promptSha256,
            @Nullable String completionSha256, List<String> attempts, List<String> dlpFindings) {}

    /** The most recent rows, newest first, optionally of one user. */
    public List<RequestView> recent(@Nullable String username, int limit) {
        String sql = "select * from gateway_request" + (username == null ? "" : " where username = ?") + " order by created_at desc limit ?";
        List<RequestView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (username != null) {
                ps.setString(i++, username);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long ttft = rs.getLong("ttft_ms");
                    Long ttftMs = rs.wasNull() ? null : ttft;
                    out.add(new RequestView(rs.getString("id"), rs.getTimestamp("created_at").toInstant(), rs.getString("username"),
                            rs.getString("workspace"), rs.getString("session_id"), rs.getString("purpose"), rs.getString("channel"),
                            rs.getString("classification"), rs.getString("endpoint"), rs.getString("model"), rs.getString("outcome"),
                            rs.getString("detail"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getBoolean("usage_reported"),
                            rs.getString("token_source"), rs.getLong("latency_ms"), ttftMs, rs.getBigDecimal("cost"), rs.getString("prompt_sha256"),
                            rs.getString("completion_sha256"), lines(rs.getString("attempts"), "\n"), lines(rs.getString("dlp_findings"), ",")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read gateway requests", e);
        }
        return out;
    }

    /** Requests, tokens and cost of one day (UTC), user, workspace and model. */
    public record UsageRow(java.time.LocalDate day, String username, String workspace, String model, long requests, long promptTokens,
            long completionTokens, BigDecimal cost) {}

    /** Usage since {@code since}, summed by day (UTC), user, workspace and model (the endpoint's name when no model was answered), oldest day first. */
    public List<UsageRow> usage(Instant since) {
        String sql = """
                select (created_at at time zone 'UTC')::date, username, workspace, coalesce(model, endpoint, ''), count(*),
                    coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(cost), 0)
                from gateway_request where created_at >= ? group by 1, 2, 3, 4 order by 1, 2, 3, 4
                """;
        List<UsageRow> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UsageRow(rs.getDate(1).toLocalDate(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), rs.getBigDecimal(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot sum gateway usage", e);
        }
        return out;
    }

    private static List<String> lines(String s, String sep) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(java.util.regex.Pattern.quote(sep)));
    }
}
