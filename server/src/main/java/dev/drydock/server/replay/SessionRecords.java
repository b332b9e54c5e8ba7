package dev.drydock.server.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.agent.AgentLoop;
import dev.drydock.server.agent.CompletionRule;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.SessionReplay;
import dev.drydock.server.agent.SessionState;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.model.ModelCalls;
import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.TestCommands;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.droid.DroidProfile;
import dev.drydock.server.droid.DroidProfiles;
import dev.drydock.server.droid.ModelRoutes;
import dev.drydock.server.gateway.GatewayLlmModel;
import dev.drydock.server.gateway.core.Hashes;
import dev.drydock.server.mcp.McpServers;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.session.SessionConfig;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.workspace.WorkspaceSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A session's record read back from its log and the gateway's ledger: the offline replay of its loop
 * under the current droid profile and workspace policy, every prompt its model saw (rebuilt and
 * checked against the SHA-256 the gateway recorded for it), and its egress proof.
 */
@ApplicationScoped
public class SessionRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SessionService sessions;

    @Inject
    EventLog log;

    @Inject
    McpServers mcp;

    @Inject
    DroidProfiles profiles;

    @Inject
    ModelRoutes models;

    @Inject
    dev.drydock.server.session.EgressProofs proofs;

    @Inject
    WorkspaceSettings settings;

    @Inject
    SessionConfig config;

    @Inject
    EntityManager em;

    @Inject
    dev.drydock.server.repository.RepositoryContent repositories;

    /** The replay's answer as the API gives it: the summary plus what differed. */
    public record Replay(
            String session,
            int steps,
            boolean diverged,
            @Nullable Long firstDivergence,
            String detail,
            String summary) {}

    /** One model call: the exact messages sent, their fingerprint, the gateway's, and tokens per source. */
    public record ModelCallView(
            int index,
            long seq,
            long meterSeq,
            String outcome,
            JsonNode messages,
            String sha256,
            @Nullable String recordedSha256,
            boolean matches,
            List<String> dlpFindings,
            ModelCalls.Sources tokens,
            long totalTokens) {}

    /** One refused connection attempt: from the session's sandbox or from the server on its behalf. */
    public record Refusal(String from, @Nullable Long seq, Instant at, String target, String detail) {}

    /**
     * The effective egress policy of a session and what it refused: the sandbox's network ({@code off}
     * or {@code mirrors}: only the allow-listed package mirrors through the per-sandbox proxy), the
     * gateway endpoints its model calls could reach, and every refused attempt.
     */
    public record EgressProof(
            String session,
            String sandboxNetwork,
            List<String> mirrors,
            List<String> gatewayEndpoints,
            int refused,
            List<Refusal> refusals,
            @Nullable Long recordedSeq,
            boolean matchesRecorded) {}

    /** Replays the session's loop offline; readable by anyone who may read the session. */
    public Replay replay(Principal who, String id) {
        sessions.requireRead(who, id);
        List<Event> recorded = log.readAll(id);
        SessionState state = SessionState.fold(recorded);
        Lifecycle.SessionStarted started = state.started()
                .orElseThrow(() -> ProblemException.conflict("session " + id + " has not started: nothing to replay"));
        DroidProfile profile;
        try {
            profile = profiles.get(started.droid());
        } catch (RuntimeException e) {
            throw ProblemException.conflict("session " + id + " ran droid '" + started.droid()
                    + "', which this server no longer has: " + e.getMessage());
        }
        ModelRoutes.Caller caller = proofs.modelCaller(id, started);
        Map<String, String> rules = new LinkedHashMap<>();
        state.context().ifPresent(c -> c.rulesFiles().forEach(f -> rules.put(f, c.rules())));
        OfflineWorkspace ws = new OfflineWorkspace(rules);
        TestCommand test =
                TestCommands.detect(ws, started.repo().isEmpty() ? Optional.empty() : repositoryTestCommand(started));
        ToolContext context = new ToolContext(id, ws, (q, n) -> List.of(), Memory.none(), test);
        AgentLoop.Droid droid = new AgentLoop.Droid(
                profile.name(),
                profile.route(),
                profiles.tools(profile).with(mcp.listedTools(started.workspace())),
                CompletionRule.acceptAll(),
                profile.limits());
        List<GatewayRow> rows = gatewayRows(id);
        List<@Nullable String> fingerprints = new ArrayList<>();
        for (GatewayRow r : rows) {
            // a redacted prompt was changed by the gateway's DLP: its fingerprint is not the loop's
            fingerprints.add(r.dlpFindings().isEmpty() ? r.promptSha256() : null);
        }
        SessionReplay.Result result = SessionReplay.replay(
                recorded,
                new SessionReplay.Setup(
                        droid,
                        settings.autonomy(started.workspace()),
                        context,
                        models.contextWindow(profile.route(), caller),
                        config.modelAttempts()),
                new SessionReplay.Fingerprints(
                        fingerprints, r -> Hashes.sha256(GatewayLlmModel.promptBytes(r.messages()))));
        return new Replay(
                result.session(),
                result.steps(),
                result.diverged(),
                result.firstDivergence(),
                result.detail(),
                result.json());
    }

    /** Every model call of the session with the exact messages sent. */
    public List<ModelCallView> modelCalls(Principal who, String id) {
        sessions.requireRead(who, id);
        List<ModelCalls.Call> calls = ModelCalls.rebuild(log.readAll(id));
        List<GatewayRow> rows = gatewayRows(id);
        List<ModelCallView> out = new ArrayList<>();
        for (ModelCalls.Call c : calls) {
            byte[] bytes = GatewayLlmModel.promptBytes(c.messages());
            String sha = Hashes.sha256(bytes);
            GatewayRow row = c.index() <= rows.size() ? rows.get(c.index() - 1) : null;
            String recorded = row == null ? null : row.promptSha256();
            out.add(new ModelCallView(
                    c.index(),
                    c.seq(),
                    c.meterSeq(),
                    c.replied() ? "replied" : "failed",
                    json(bytes),
                    sha,
                    recorded,
                    sha.equals(recorded),
                    row == null ? List.of() : row.dlpFindings(),
                    c.tokens(),
                    c.tokens().total()));
        }
        return out;
    }

    /**
     * The session's effective egress policy and every refused attempt, as of now; {@code recordedSeq}
     * is the closing egress event the session's log ends with (null while it has not finished), and
     * {@code matchesRecorded} whether that event says what the log and the refusals say now.
     */
    public EgressProof egress(Principal who, String id) {
        sessions.requireRead(who, id);
        List<Event> events = log.readAll(id);
        Telemetry.EgressProofRecorded now = proofs.of(id, events);
        Event recorded = null;
        for (Event e : events) {
            if (e.payload() instanceof Telemetry.EgressProofRecorded) {
                recorded = e;
            }
        }
        List<Refusal> refusals = now.refusals().stream()
                .map(r -> new Refusal(r.from(), r.seq() == 0 ? null : r.seq(), r.at(), r.target(), r.detail()))
                .toList();
        return new EgressProof(
                id,
                now.sandboxNetwork(),
                now.mirrors(),
                now.gatewayEndpoints(),
                now.refused(),
                refusals,
                recorded == null ? null : recorded.seq(),
                recorded != null && recorded.payload().equals(now));
    }

    private Optional<String> repositoryTestCommand(Lifecycle.SessionStarted started) {
        return repositories.testCommand(started.workspace(), started.repo());
    }

    /** The gateway's rows of the loop's model calls of a session, in the order they were made. */
    private record GatewayRow(
            Instant at, @Nullable String promptSha256, List<String> dlpFindings, List<String> attempts) {}

    private List<GatewayRow> gatewayRows(String id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "select created_at, prompt_sha256, dlp_findings, attempts from gateway_request "
                                        + "where session_id = ?1 and channel = 'agent' order by created_at, id")
                        .setParameter(1, id)
                        .getResultList());
        List<GatewayRow> out = new ArrayList<>();
        for (Object[] r : rows) {
            String dlp = (String) r[2];
            String attempts = (String) r[3];
            out.add(new GatewayRow(
                    Columns.instant(r[0]),
                    (String) r[1],
                    dlp == null || dlp.isBlank() ? List.of() : List.of(dlp.split(",")),
                    attempts == null || attempts.isBlank() ? List.of() : Arrays.asList(attempts.split("\n"))));
        }
        return out;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("the rebuilt prompt is not JSON", e);
        }
    }
}
