package dev.drydock.server.gateway.accounting;

import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.GatewayRecorder;
import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/** The accounting table {@code gateway_request}: one row per gateway request, and the sums budgets need. */
@ApplicationScoped
public class GatewayLedger implements GatewayRecorder {
    private static final Logger LOG = Logger.getLogger(GatewayLedger.class);

    @Inject
    EntityManager em;

    @Override
    public void record(GatewayRecord r) {
        String sql = """
                insert into gateway_request (id, created_at, user_subject, username, workspace, session_id, droid, purpose, channel,
                    classification, endpoint, model, outcome, detail, prompt_tokens, completion_tokens, usage_reported, token_source,
                    latency_ms, ttft_ms, cost, prompt_sha256, completion_sha256, attempts, dlp_findings)
                values (?1, ?2, ?3, ?4, cast(?5 as text), cast(?6 as text), cast(?7 as text), ?8, ?9, ?10, cast(?11 as text), cast(?12 as text), ?13, cast(?14 as text), ?15, ?16, ?17, ?18,
                    ?19, cast(?20 as bigint), cast(?21 as numeric), cast(?22 as text), cast(?23 as text), ?24, ?25)
                """;
        Object[] values = {
            r.requestId(),
            r.at(),
            r.userSubject(),
            r.username(),
            r.workspace(),
            r.sessionId(),
            r.droid(),
            r.purpose(),
            r.channel(),
            r.classification().label(),
            r.endpoint(),
            r.model(),
            r.outcome().label(),
            r.detail() == null ? null : truncate(r.detail(), 2000),
            r.promptTokens(),
            r.completionTokens(),
            r.usageReported(),
            r.tokenSource().label(),
            r.latencyMillis(),
            r.ttftMillis(),
            r.cost(),
            r.promptSha256(),
            r.completionSha256(),
            truncate(String.join("\n", r.attempts()), 8000),
            String.join(",", r.dlpFindings())
        };
        try {
            QuarkusTransaction.joiningExisting().run(() -> {
                var query = em.createNativeQuery(sql);
                for (int i = 0; i < values.length; i++) {
                    query.setParameter(i + 1, values[i]);
                }
                query.executeUpdate();
            });
        } catch (RuntimeException e) {
            if (dev.drydock.server.problem.DatabaseUnavailable.is(e)) {
                // GatewayService keeps it and writes it again once PostgreSQL answers
                throw e;
            }
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
        String sql =
                "select coalesce(sum(prompt_tokens + completion_tokens), 0), coalesce(sum(cost), 0) from gateway_request where "
                        + column + " = ?1 and created_at >= ?2";
        Object[] sums = QuarkusTransaction.joiningExisting().call(() -> (Object[]) em.createNativeQuery(sql)
                .setParameter(1, value)
                .setParameter(2, since)
                .getSingleResult());
        return new Spent(Columns.longValue(sums[0]), (BigDecimal) sums[1]);
    }

    /** Usage sums. */
    public record Spent(long tokens, BigDecimal cost) {}

    /** One recorded request as the admin API shows it. */
    public record RequestView(
            String id,
            Instant at,
            String username,
            String workspace,
            @Nullable String sessionId,
            String purpose,
            String channel,
            String classification,
            @Nullable String endpoint,
            @Nullable String model,
            String outcome,
            @Nullable String detail,
            long promptTokens,
            long completionTokens,
            boolean usageReported,
            String tokenSource,
            long latencyMs,
            @Nullable Long ttftMs,
            BigDecimal cost,
            @Nullable String promptSha256,
            @Nullable String completionSha256,
            List<String> attempts,
            List<String> dlpFindings) {}

    /** The most recent rows, newest first, optionally of one user. */
    public List<RequestView> recent(@Nullable String username, int limit) {
        String sql =
                "select id, created_at, username, workspace, session_id, purpose, channel, classification, endpoint, model, outcome, detail, "
                        + "prompt_tokens, completion_tokens, usage_reported, token_source, latency_ms, ttft_ms, cost, prompt_sha256, completion_sha256, attempts, dlp_findings "
                        + "from gateway_request" + (username == null ? "" : " where username = :username")
                        + " order by created_at desc limit :limit";
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = em.createNativeQuery(sql).setParameter("limit", limit);
            if (username != null) {
                query.setParameter("username", username);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            return rows.stream()
                    .map(r -> new RequestView(
                            (String) r[0],
                            Columns.instant(r[1]),
                            (String) r[2],
                            (String) r[3],
                            (String) r[4],
                            (String) r[5],
                            (String) r[6],
                            (String) r[7],
                            (String) r[8],
                            (String) r[9],
                            (String) r[10],
                            (String) r[11],
                            Columns.longValue(r[12]),
                            Columns.longValue(r[13]),
                            (Boolean) r[14],
                            (String) r[15],
                            Columns.longValue(r[16]),
                            r[17] == null ? null : Columns.longValue(r[17]),
                            (BigDecimal) r[18],
                            (String) r[19],
                            (String) r[20],
                            lines((String) r[21], "\n"),
                            lines((String) r[22], ",")))
                    .toList();
        });
    }

    /** Requests, tokens and cost of one day (UTC), user, workspace and model. */
    public record UsageRow(
            java.time.LocalDate day,
            String username,
            String workspace,
            String model,
            long requests,
            long promptTokens,
            long completionTokens,
            BigDecimal cost) {}

    /** Usage since {@code since}, summed by day (UTC), user, workspace and model (the endpoint's name when no model was answered), oldest day first. */
    public List<UsageRow> usage(Instant since) {
        String sql = """
                select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD'), username, workspace, coalesce(model, endpoint, ''), count(*),
                    coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(cost), 0)
                from gateway_request where created_at >= ?1 group by 1, 2, 3, 4 order by 1, 2, 3, 4
                """;
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows =
                    em.createNativeQuery(sql).setParameter(1, since).getResultList();
            return rows.stream()
                    .map(r -> new UsageRow(
                            java.time.LocalDate.parse((String) r[0]),
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            Columns.longValue(r[4]),
                            Columns.longValue(r[5]),
                            Columns.longValue(r[6]),
                            (BigDecimal) r[7]))
                    .toList();
        });
    }

    private static List<String> lines(String s, String sep) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(java.util.regex.Pattern.quote(sep)));
    }
}
