package dev.drydock.server.agent;

import static dev.drydock.server.agent.ScriptedModel.args;
import static dev.drydock.server.agent.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.AgentLoop.Droid;
import dev.drydock.server.agent.event.Action.InvokeTool;
import dev.drydock.server.agent.event.Conversation.ModelReplied;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle.SessionStarted;
import dev.drydock.server.agent.event.Oversight.ActionApproved;
import dev.drydock.server.agent.event.Oversight.ApprovalRequested;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.agent.tool.FinishTool;
import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.Workspace.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recorded sessions as regression fixtures: a session is recorded with the scripted model against an
 * in-memory workspace, then replayed offline with no model and no workspace.
 */
class SessionReplayTest {
    static final String S = "s-replay";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final Function<ModelRequest, String> FINGERPRINT =
            r -> Integer.toHexString(r.messages().hashCode());

    final InMemoryEventLog log = new InMemoryEventLog(CLOCK);
    final List<String> fingerprints = new ArrayList<>();

    static Droid droid() {
        ToolBox tools = ToolBox.named(ToolBox.builtInNames(), new FinishTool());
        return new Droid(
                "code",
                "default",
                tools,
                new TestGatedCompletion((s, d, m, t) -> Optional.of("drydock/" + s)),
                new Limits(30, 1_000_000, Duration.ofHours(1)));
    }

    static ToolContext context(dev.drydock.server.agent.tool.Workspace ws) {
        return new ToolContext(
                S,
                ws,
                (q, n) -> List.of(),
                Memory.none(),
                new TestCommand("python3 -m unittest discover -q", "test_*.py"));
    }

    /** Records the fix-calc session under {@code autonomy}, approving whatever it asks. */
    List<Event> record(Autonomy autonomy) {
        InMemoryWorkspace ws = new InMemoryWorkspace(
                Map.of("calc.py", AgentLoopTest.CALC_BROKEN, "test_calc.py", AgentLoopTest.CALC_TEST),
                (cmd, files) -> cmd.startsWith("python3 -m unittest")
                        ? (files.get("calc.py").contains("a + b")
                                ? new CommandResult(0, "OK\n", false)
                                : new CommandResult(1, "FAIL: test_add\nAssertionError: -1 != 5\n", false))
                        : new CommandResult(0, "", false));
        ScriptedModel scripted = new ScriptedModel(
                call("read_file", args("path", "calc.py")),
                call("run_tests", "{}"),
                call("finish", args("summary", "done")),
                call("edit_file", args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                call("run_tests", "{}"),
                call("finish", args("summary", "Fixed add")));
        log.append(
                S,
                Source.USER,
                new SessionStarted("code", "Fix the failing test in calc.py", "demo", "calc", "abc1234"));
        log.append(S, Source.SYSTEM, new Progress.ContextPrepared("You are the code droid.", List.of(), "", ""));
        AgentLoop loop = new AgentLoop(
                log, scripted, droid(), autonomy, context(ws), 100_000, new AgentLoop.Retry(3, Duration.ZERO), CLOCK);
        SessionState state = loop.run(S);
        while (!state.finished()) {
            for (ApprovalRequested a : pendingApprovals(state)) {
                log.append(S, Source.USER, new ActionApproved(a.callId(), "mike"));
            }
            state = loop.run(S);
        }
        scripted.requests().forEach(r -> fingerprints.add(FINGERPRINT.apply(r)));
        return log.readAll(S);
    }

    static List<ApprovalRequested> pendingApprovals(SessionState state) {
        return state.history().stream()
                .map(Event::payload)
                .filter(ApprovalRequested.class::isInstance)
                .map(ApprovalRequested.class::cast)
                .filter(a -> state.call(a.callId())
                        .map(c -> c.stage() == SessionState.Stage.AWAITING_APPROVAL)
                        .orElse(false))
                .toList();
    }

    /** No model, no workspace: any use of the workspace is a replay bug. */
    static SessionReplay.Setup offline(Autonomy autonomy) {
        return new SessionReplay.Setup(
                droid(),
                autonomy,
                context(new InMemoryWorkspace(Map.of(), (c, f) -> {
                    throw new AssertionError("a replay ran a command: " + c);
                })),
                100_000,
                3);
    }

    @Test
    void shouldTakeTheRecordedDecisionsWhenReplayedUnderTheSamePolicy() {
        // Given
        List<Event> recorded = record(Autonomy.AUTO_EDIT);

        // When
        SessionReplay.Result result = SessionReplay.replay(
                recorded,
                offline(Autonomy.AUTO_EDIT),
                new SessionReplay.Fingerprints(List.copyOf(fingerprints), FINGERPRINT));

        // Then
        assertThat(result.diverged()).as(result.detail()).isFalse();
        assertThat(result.firstDivergence()).isNull();
        assertThat(result.steps()).isEqualTo(6);
        assertThat(result.json())
                .isEqualTo("{\"session\":\"" + S + "\",\"steps\":6,\"diverged\":false,\"first_divergence\":null}");
    }

    @Test
    void shouldReplayTheApprovalsPeopleGaveWhenTheSessionAskedForThem() {
        // Given a session whose edit waited for a person's approval
        List<Event> recorded = record(Autonomy.APPROVE_WRITES);
        assertThat(recorded).anyMatch(e -> e.payload() instanceof ActionApproved);

        // When
        SessionReplay.Result result =
                SessionReplay.replay(recorded, offline(Autonomy.APPROVE_WRITES), SessionReplay.Fingerprints.none());

        // Then
        assertThat(result.diverged()).as(result.detail()).isFalse();
        assertThat(result.steps()).isEqualTo(6);
    }

    @Test
    void shouldShowTheFirstDivergenceWhenThePolicyChanged() {
        // Given a session recorded under auto-edit, whose test runs and edit ran without asking
        List<Event> recorded = record(Autonomy.AUTO_EDIT);
        long firstWrite = recorded.stream()
                .filter(e -> e.payload() instanceof InvokeTool t
                        && t.risk() == dev.drydock.server.agent.event.Action.Risk.WRITES_WORKSPACE)
                .findFirst()
                .orElseThrow()
                .seq();

        // When it is replayed under approve-writes
        SessionReplay.Result result =
                SessionReplay.replay(recorded, offline(Autonomy.APPROVE_WRITES), SessionReplay.Fingerprints.none());

        // Then the loop now asks for approval where it ran the first workspace write (the tests)
        assertThat(result.diverged()).isTrue();
        assertThat(result.firstDivergence()).isEqualTo(firstWrite);
        assertThat(result.detail()).contains("ApprovalRequested").contains("run_tests");
        assertThat(result.json()).endsWith("\"diverged\":true,\"first_divergence\":" + firstWrite + "}");
    }

    @Test
    void shouldShowTheFirstDivergenceWhenThePromptSentDiffersFromTheRecordedFingerprint() {
        // Given a session whose third prompt was recorded with another fingerprint (as after a prompt change)
        List<Event> recorded = record(Autonomy.AUTO_EDIT);
        List<String> changed = new ArrayList<>(fingerprints);
        changed.set(2, "0000");
        long thirdReply = recorded.stream()
                .filter(e -> e.payload() instanceof ModelReplied)
                .skip(2)
                .findFirst()
                .orElseThrow()
                .seq();

        // When
        SessionReplay.Result result = SessionReplay.replay(
                recorded, offline(Autonomy.AUTO_EDIT), new SessionReplay.Fingerprints(changed, FINGERPRINT));

        // Then
        assertThat(result.diverged()).isTrue();
        assertThat(result.firstDivergence()).isEqualTo(thirdReply);
        assertThat(result.steps()).isEqualTo(2);
    }

    @Test
    void shouldShowTheFirstDivergenceWhenTheContextWindowChanged() {
        // Given
        List<Event> recorded = record(Autonomy.AUTO_EDIT);
        long firstMeter = recorded.stream()
                .filter(e -> e.payload() instanceof dev.drydock.server.agent.event.Telemetry.ContextMeasured)
                .findFirst()
                .orElseThrow()
                .seq();
        SessionReplay.Setup smaller = new SessionReplay.Setup(
                droid(), Autonomy.AUTO_EDIT, offline(Autonomy.AUTO_EDIT).context(), 50_000, 3);

        // When
        SessionReplay.Result result = SessionReplay.replay(recorded, smaller, SessionReplay.Fingerprints.none());

        // Then
        assertThat(result.diverged()).isTrue();
        assertThat(result.firstDivergence()).isEqualTo(firstMeter);
        assertThat(result.steps()).isZero();
    }
}
