package dev.drydock.server.promotion;

import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The gate's tables (V54): native queries through the EntityManager, each in the caller's transaction or its own. */
@ApplicationScoped
public class GateStore {
    private static final String RUN_COLUMNS =
            "id::text, endpoint, base_url, model_id, state, reason, threshold, pass_rate, prompt_tokens, completion_tokens, "
                    + "wall_ms, baseline_run::text, baseline_endpoint, started_by, created_at, finished_at";
    private static final String FIXTURE_COLUMNS =
            "fixture, position, state, session_id::text, detail, prompt_tokens, completion_tokens, wall_ms, started_at, finished_at";

    @Inject
    EntityManager em;

    /** A stored gate run. */
    public record RunRow(
            String id,
            String endpoint,
            String baseUrl,
            String modelId,
            String state,
            String reason,
            double threshold,
            @Nullable Double passRate,
            long promptTokens,
            long completionTokens,
            long wallMs,
            @Nullable String baselineRun,
            @Nullable String baselineEndpoint,
            String startedBy,
            Instant createdAt,
            @Nullable Instant finishedAt) {}

    /** A fixture of a run. */
    public record FixtureRow(
            String fixture,
            int position,
            String state,
            @Nullable String sessionId,
            String detail,
            long promptTokens,
            long completionTokens,
            long wallMs,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt) {}

    public void insertRun(
            UUID id,
            String endpoint,
            String baseUrl,
            String modelId,
            double threshold,
            String by,
            Instant at,
            List<String> fixtures) {
        update(
                "insert into gate_run (id, endpoint, base_url, model_id, state, threshold, started_by, created_at) "
                        + "values (?1, ?2, ?3, ?4, 'running', ?5, ?6, ?7)",
                id,
                endpoint,
                baseUrl,
                modelId,
                BigDecimal.valueOf(threshold),
                by,
                at);
        for (int i = 0; i < fixtures.size(); i++) {
            update("insert into gate_fixture (run_id, fixture, position) values (?1, ?2, ?3)", id, fixtures.get(i), i);
        }
    }

    public List<RunRow> running() {
        return runs("select " + RUN_COLUMNS + " from gate_run where state = 'running' order by created_at");
    }

    public Optional<RunRow> run(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return runs("select " + RUN_COLUMNS + " from gate_run where id = ?1", uuid).stream()
                .findFirst();
    }

    /** The newest run of an endpoint, whatever its state. */
    public Optional<RunRow> latest(String endpoint) {
        return runs(
                        "select " + RUN_COLUMNS + " from gate_run where endpoint = ?1 order by created_at desc limit 1",
                        endpoint)
                .stream()
                .findFirst();
    }

    /** The newest finished run of an endpoint made against this URL and model id. */
    public Optional<RunRow> latestFinished(String endpoint, String baseUrl, String modelId) {
        return runs(
                        "select " + RUN_COLUMNS
                                + " from gate_run where endpoint = ?1 and base_url = ?2 and model_id = ?3 "
                                + "and state in ('passed', 'failed') order by created_at desc limit 1",
                        endpoint,
                        baseUrl,
                        modelId)
                .stream()
                .findFirst();
    }

    /** The newest finished run of an endpoint, against whatever URL it had. */
    public Optional<RunRow> latestFinished(String endpoint) {
        return runs(
                        "select " + RUN_COLUMNS
                                + " from gate_run where endpoint = ?1 and state in ('passed', 'failed') "
                                + "order by created_at desc limit 1",
                        endpoint)
                .stream()
                .findFirst();
    }

    public List<FixtureRow> fixtures(String runId) {
        return rows(
                        "select " + FIXTURE_COLUMNS + " from gate_fixture where run_id = ?1 order by position",
                        UUID.fromString(runId))
                .stream()
                .map(r -> new FixtureRow(
                        (String) r[0],
                        (int) Columns.longValue(r[1]),
                        (String) r[2],
                        Columns.string(r[3]),
                        (String) r[4],
                        Columns.longValue(r[5]),
                        Columns.longValue(r[6]),
                        Columns.longValue(r[7]),
                        Columns.instantOrNull(r[8]),
                        Columns.instantOrNull(r[9])))
                .toList();
    }

    /** Marks a pending fixture running with its session; false when it was not pending. */
    public boolean startFixture(String runId, String fixture, String sessionId, Instant at) {
        return update(
                        "update gate_fixture set state = 'running', session_id = ?3, started_at = ?4 "
                                + "where run_id = ?1 and fixture = ?2 and state = 'pending'",
                        UUID.fromString(runId),
                        fixture,
                        UUID.fromString(sessionId),
                        at)
                > 0;
    }

    /** Ends a fixture (pending or running) as passed or failed. */
    public void finishFixture(
            String runId,
            String fixture,
            boolean passed,
            String detail,
            long promptTokens,
            long completionTokens,
            long wallMs,
            Instant at) {
        update(
                "update gate_fixture set state = ?3, detail = ?4, prompt_tokens = ?5, completion_tokens = ?6, wall_ms = ?7, "
                        + "finished_at = ?8 where run_id = ?1 and fixture = ?2 and state in ('pending', 'running')",
                UUID.fromString(runId),
                fixture,
                passed ? "passed" : "failed",
                detail,
                promptTokens,
                completionTokens,
                wallMs,
                at);
    }

    /** Ends a running run with its report totals. */
    public void finishRun(
            String runId,
            boolean passed,
            String reason,
            double passRate,
            long promptTokens,
            long completionTokens,
            long wallMs,
            @Nullable String baselineRun,
            @Nullable String baselineEndpoint,
            Instant at) {
        update(
                "update gate_run set state = ?2, reason = ?3, pass_rate = ?4, prompt_tokens = ?5, completion_tokens = ?6, "
                        + "wall_ms = ?7, baseline_run = cast(?8 as uuid), baseline_endpoint = cast(?9 as text), finished_at = ?10 "
                        + "where id = ?1 and state = 'running'",
                UUID.fromString(runId),
                passed ? "passed" : "failed",
                reason,
                BigDecimal.valueOf(passRate),
                promptTokens,
                completionTokens,
                wallMs,
                baselineRun,
                baselineEndpoint,
                at);
    }

    /** Fails every running run and its unfinished fixtures (a restart); returns how many runs. */
    public int failRunning(String reason, Instant at) {
        update(
                "update gate_fixture set state = 'failed', detail = ?1, finished_at = ?2 "
                        + "where state in ('pending', 'running') and run_id in (select id from gate_run where state = 'running')",
                reason,
                at);
        return update(
                "update gate_run set state = 'failed', reason = ?1, finished_at = ?2 where state = 'running'",
                reason,
                at);
    }

    public void addOverride(
            String endpoint, String baseUrl, String modelId, String route, String reason, String by, Instant at) {
        update(
                "insert into gate_override (endpoint, base_url, model_id, route, reason, granted_by, granted_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                endpoint,
                baseUrl,
                modelId,
                route,
                reason,
                by,
                at);
    }

    /** Takes the one-time bootstrap marker; false when it was taken before. */
    public boolean takeBootstrap(Instant at) {
        return update("insert into gate_bootstrap (id, done_at) values (1, ?1) on conflict (id) do nothing", at) > 0;
    }

    private List<RunRow> runs(String sql, Object... params) {
        return rows(sql, params).stream()
                .map(r -> new RunRow(
                        (String) r[0],
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        (String) r[5],
                        ((Number) r[6]).doubleValue(),
                        r[7] == null ? null : ((Number) r[7]).doubleValue(),
                        Columns.longValue(r[8]),
                        Columns.longValue(r[9]),
                        Columns.longValue(r[10]),
                        Columns.string(r[11]),
                        Columns.string(r[12]),
                        (String) r[13],
                        Columns.instant(r[14]),
                        Columns.instantOrNull(r[15])))
                .toList();
    }

    private int update(String sql, @Nullable Object... params) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> bind(em.createNativeQuery(sql), params).executeUpdate());
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Object... params) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> bind(em.createNativeQuery(sql), params).getResultList());
    }

    private static Query bind(Query query, @Nullable Object... params) {
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return query;
    }
}
