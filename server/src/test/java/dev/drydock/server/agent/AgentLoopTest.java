package dev.drydock.server.agent;

import static dev.drydock.server.agent.ScriptedModel.args;
import static dev.drydock.server.agent.ScriptedModel.call;
import static dev.drydock.server.agent.ScriptedModel.calls;
import static dev.drydock.server.agent.ScriptedModel.down;
import static dev.drydock.server.agent.ScriptedModel.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.agent.AgentLoop.Droid;
import dev.drydock.server.agent.event.Action.InvokeTool;
import dev.drydock.server.agent.event.Conversation.QuestionAnswered;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle.Outcome;
import dev.drydock.server.agent.event.Lifecycle.SessionFinished;
import dev.drydock.server.agent.event.Lifecycle.SessionStarted;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Observation.ActionRejected;
import dev.drydock.server.agent.event.Observation.RejectedBy;
import dev.drydock.server.agent.event.Oversight.ActionApproved;
import dev.drydock.server.agent.event.Oversight.ActionDenied;
import dev.drydock.server.agent.event.Oversight.ApprovalRequested;
import dev.drydock.server.agent.event.Oversight.CancelRequested;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.model.LlmModel;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentLoopTest {
    static final String S = "s1";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String CALC_BROKEN = "def add(a, b):\n    return a - b\n";
    static final String CALC_TEST =
            "import unittest\nfrom calc import add\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n";

    final InMemoryEventLog log = new InMemoryEventLog(CLOCK);
    final InMemoryWorkspace ws = new InMemoryWorkspace(
            Map.of("calc.py", CALC_BROKEN, "test_calc.py", CALC_TEST),
            (cmd, files) -> cmd.startsWith("python3 -m unittest")
                    ? (files.get("calc.py").contains("a + b")
                            ? new CommandResult(0, "OK\n", false)
                            : new CommandResult(1, "FAIL: test_add\nAssertionError: -1 != 5\n", false))
                    : new CommandResult(0, "", false));

    AgentLoop loop(LlmModel model, Autonomy autonomy, Limits limits, long window) {
        ToolBox tools = ToolBox.named(ToolBox.builtInNames(), new FinishTool());
        Droid droid = new Droid(
                "code", "default", tools, new TestGatedCompletion((s, d, m, t) -> Optional.of("drydock/" + s)), limits);
        ToolContext ctx = new ToolContext(
                S,
                ws,
                (q, n) -> List.of(),
                Memory.none(),
                new TestCommand("python3 -m unittest discover -q", "test_*.py"));
        return new AgentLoop(log, model, droid, autonomy, ctx, window, new AgentLoop.Retry(3, Duration.ZERO), CLOCK);
    }

    AgentLoop loop(LlmModel model) {
        return loop(model, Autonomy.AUTO_EDIT, new Limits(30, 1_000_000, Duration.ofHours(1)), 100_000);
    }

    void start() {
        log.append(
                S,
                Source.USER,
                new SessionStarted("code", "Fix the failing test in calc.py", "demo", "calc", "abc1234"));
        log.append(S, Source.SYSTEM, new Progress.ContextPrepared("You are the code droid.", List.of(), "", ""));
    }

    List<Payload> payloads() {
        return log.readAll(S).stream().map(Event::payload).toList();
    }

    <T> List<T> all(Class<T> type) {
        return payloads().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void shouldFixFailingTestAndRefuseEarlyFinish() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(
                call("grep", args("pattern", "def add")),
                call("read_file", args("path", "calc.py")),
                call("run_tests", "{}"),
                call("finish", args("summary", "done")),
                call("edit_file", args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                call("run_tests", "{}"),
                call("finish", args("summary", "Fixed add")));

        // When
        SessionState state = loop(model).run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.COMPLETED);
        assertThat(ws.files().get("calc.py")).contains("return a + b");
        assertThat(all(ActionRejected.class)).singleElement().satisfies(r -> {
            assertThat(r.by()).isEqualTo(RejectedBy.COMPLETION_RULE);
            assertThat(r.reason()).contains("tests fail");
        });
        assertThat(all(Observation.FileChanged.class))
                .singleElement()
                .satisfies(
                        f -> assertThat(f.diff()).contains("-    return a - b").contains("+    return a + b"));
        assertThat(state.artifacts())
                .extracting(Progress.ArtifactProduced::kind)
                .containsExactly(Progress.ArtifactKind.DIFF, Progress.ArtifactKind.BRANCH);
        assertThat(state.totals().promptTokens()).isEqualTo(700);
        assertThat(all(Telemetry.ContextMeasured.class)).hasSize(7);
        assertSeqsContiguous();
        assertThat(model.requests().get(4).messages().getLast().content()).contains("finish refused");
    }

    @Test
    void shouldRecoverFromMalformedToolCalls() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(
                call("read_file", "{\"path\": \"calc.py\""),
                call("read_fil", args("path", "calc.py")),
                call("read_file", args("start_line", 1)),
                say("I think I am done"),
                call("edit_file", args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                call("finish", args("summary", "ok")));

        // When
        SessionState state = loop(model).run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.COMPLETED);
        assertThat(all(Observation.FormatRejected.class))
                .extracting(Observation.FormatRejected::reason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("not valid JSON"),
                        r -> assertThat(r).contains("unknown tool 'read_fil'"),
                        r -> assertThat(r).contains("missing required argument 'path'"),
                        r -> assertThat(r).contains("called no tool"));
    }

    @Test
    void shouldPauseOnQuestionAndContinueAfterAnswer() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(
                call("ask_user", args("question", "Should add() also accept strings?")),
                call("edit_file", args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                call("finish", args("summary", "ok")));
        AgentLoop loop = loop(model);
        SessionState paused = loop.run(S);
        String callId = paused.calls().getFirst().call().id();
        log.append(S, Source.USER, new QuestionAnswered(callId, "No, numbers only."));

        // When
        SessionState state = loop.run(S);

        // Then
        assertThat(paused.status()).isEqualTo(SessionState.Status.WAITING_FOR_ANSWER);
        assertThat(state.outcome()).contains(Outcome.COMPLETED);
        assertThat(model.requests().get(1).messages().getLast().content())
                .isEqualTo("The person answered: No, numbers only.");
    }

    @Test
    void shouldAskApprovalAndRunOnlyAfterApproval() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(
                calls(
                        "two edits",
                        new ToolCall(
                                "a",
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        new ToolCall("b", "create_file", args("path", "NOTES.md", "content", "x"))),
                call("finish", args("summary", "ok")));
        AgentLoop loop = loop(model, Autonomy.APPROVE_WRITES, new Limits(30, 1_000_000, Duration.ofHours(1)), 100_000);
        SessionState first = loop.run(S);
        log.append(S, Source.USER, new ActionApproved("a", "mike"));
        SessionState second = loop.run(S);
        log.append(S, Source.USER, new ActionDenied("b", "mike", "no notes please"));

        // When
        SessionState state = loop.run(S);

        // Then
        assertThat(first.status()).isEqualTo(SessionState.Status.WAITING_FOR_APPROVAL);
        assertThat(second.status()).isEqualTo(SessionState.Status.WAITING_FOR_APPROVAL);
        assertThat(all(ApprovalRequested.class))
                .extracting(ApprovalRequested::callId)
                .containsExactly("a", "b");
        assertThat(state.outcome()).contains(Outcome.COMPLETED);
        assertThat(ws.files()).doesNotContainKey("NOTES.md");
        assertThat(all(ActionRejected.class)).singleElement().satisfies(r -> {
            assertThat(r.by()).isEqualTo(RejectedBy.USER);
            assertThat(r.reason()).contains("no notes please");
        });
    }

    @Test
    void shouldBlockSideEffectsWhenAutonomyIsReadOnly() {
        // Given
        start();
        ScriptedModel model =
                new ScriptedModel(call("run_command", args("command", "curl http://example.com")), say("hmm"));

        // When
        SessionState state = loop(model, Autonomy.READ_ONLY, new Limits(2, 1_000_000, Duration.ofHours(1)), 100_000)
                .run(S);

        // Then
        assertThat(all(ActionRejected.class))
                .singleElement()
                .satisfies(r -> assertThat(r.by()).isEqualTo(RejectedBy.POLICY));
        assertThat(ws.ran()).isEmpty();
        assertThat(all(InvokeTool.class)).isEmpty();
        assertThat(state.outcome()).contains(Outcome.LIMIT_REACHED);
    }

    @Test
    void shouldEndCleanlyWhenModelEndpointIsDown() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(down(), down(), down());

        // When
        SessionState state = loop(model).run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.MODEL_UNAVAILABLE);
        assertThat(all(Telemetry.ModelCallFailed.class))
                .extracting(Telemetry.ModelCallFailed::attempt)
                .containsExactly(1, 2, 3);
        assertThat(state.summary()).contains("connection refused");
    }

    @Test
    void shouldCancelWhenAPersonAsks() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(r -> {
            log.append(S, Source.USER, new CancelRequested("mike"));
            return call("read_file", args("path", "calc.py")).apply(r);
        });

        // When
        SessionState state = loop(model).run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.CANCELLED);
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void shouldResumeAfterCrashWithoutLosingOrDuplicatingEvents() {
        // Given a runtime that dies (an Error, not an exception the loop handles) during the third step's tool
        start();
        ScriptedModel before = new ScriptedModel(
                call("read_file", args("path", "calc.py")),
                call("edit_file", args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                call("run_command", args("command", "crash-now")));
        InMemoryWorkspace crashing = ws;
        AgentLoop dying = new AgentLoop(
                log,
                before,
                new Droid(
                        "code",
                        "default",
                        ToolBox.named(ToolBox.builtInNames(), new FinishTool()),
                        CompletionRule.acceptAll(),
                        new Limits(30, 1_000_000, Duration.ofHours(1))),
                Autonomy.AUTO_EDIT,
                new ToolContext(
                        S,
                        new InMemoryWorkspace(crashing.files(), (cmd, f) -> {
                            throw new Killed();
                        }),
                        (q, n) -> List.of(),
                        Memory.none(),
                        TestCommand.NONE),
                100_000,
                new AgentLoop.Retry(1, Duration.ZERO),
                CLOCK);
        assertThatThrownBy(() -> dying.run(S)).isInstanceOf(Killed.class);
        long seqAtCrash = log.readAll(S).getLast().seq();
        ScriptedModel after = new ScriptedModel(call("finish", args("summary", "resumed")));
        AgentLoop restarted = new AgentLoop(
                log,
                after,
                new Droid(
                        "code",
                        "default",
                        ToolBox.named(ToolBox.builtInNames(), new FinishTool()),
                        CompletionRule.acceptAll(),
                        new Limits(30, 1_000_000, Duration.ofHours(1))),
                Autonomy.AUTO_EDIT,
                new ToolContext(S, ws, (q, n) -> List.of(), Memory.none(), TestCommand.NONE),
                100_000,
                new AgentLoop.Retry(1, Duration.ZERO),
                CLOCK);

        // When
        SessionState state = restarted.run(S);

        // Then
        List<Event> events = log.readAll(S);
        assertThat(events.getLast().payload()).isInstanceOf(SessionFinished.class);
        assertThat(events.get((int) seqAtCrash - 1).payload()).isInstanceOf(InvokeTool.class);
        assertThat(events.get((int) seqAtCrash).payload())
                .isInstanceOfSatisfying(
                        Observation.ToolFailed.class, f -> assertThat(f.error()).startsWith("interrupted"));
        assertThat(all(InvokeTool.class))
                .extracting(InvokeTool::tool)
                .containsExactly("read_file", "edit_file", "run_command", "finish");
        assertSeqsContiguous();
        assertThat(state.outcome()).contains(Outcome.COMPLETED);
    }

    @Test
    void shouldCancelWaitingAndInterruptedSessionsWithoutModelCall() {
        // Given
        start();
        log.append(
                S, Source.SYSTEM, new dev.drydock.server.agent.event.Lifecycle.SessionInterrupted("server restarted"));
        log.append(S, Source.USER, new CancelRequested("mike"));
        ScriptedModel model = new ScriptedModel();

        // When
        SessionState state = loop(model).run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.CANCELLED);
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void shouldEndLimitReachedAfterMaxSteps() {
        // Given
        start();
        ScriptedModel model = new ScriptedModel(call("list_dir", "{}"), call("list_dir", "{}"), call("list_dir", "{}"));

        // When
        SessionState state = loop(model, Autonomy.AUTO_EDIT, new Limits(3, 1_000_000, Duration.ofHours(1)), 100_000)
                .run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.LIMIT_REACHED);
        assertThat(state.summary()).contains("step limit");
        assertThat(model.requests()).hasSize(3);
    }

    @Test
    void shouldCondenseOldObservationsBeforeTheWindowOverflows() {
        // Given a small window and large outputs
        start();
        String big = "x".repeat(4000);
        InMemoryWorkspace bigWs =
                new InMemoryWorkspace(Map.of("big.txt", big + "\n"), (c, f) -> new CommandResult(0, "", false));
        ScriptedModel model = new ScriptedModel(
                call("read_file", args("path", "big.txt")),
                call("read_file", args("path", "big.txt")),
                call("read_file", args("path", "big.txt")),
                call("read_file", args("path", "big.txt")),
                call("read_file", args("path", "big.txt")),
                call("read_file", args("path", "big.txt")),
                call("finish", args("summary", "ok")));
        AgentLoop loop = new AgentLoop(
                log,
                model,
                new Droid(
                        "knowledge",
                        "default",
                        ToolBox.named(List.of("read_file", "finish"), new FinishTool()),
                        CompletionRule.acceptAll(),
                        new Limits(30, 10_000_000, Duration.ofHours(1))),
                Autonomy.AUTO_EDIT,
                new ToolContext(S, bigWs, (q, n) -> List.of(), Memory.none(), TestCommand.NONE),
                6_000,
                new AgentLoop.Retry(1, Duration.ZERO),
                CLOCK);

        // When
        SessionState state = loop.run(S);

        // Then
        assertThat(state.outcome()).contains(Outcome.COMPLETED);
        assertThat(all(Progress.HistoryCondensed.class)).isNotEmpty();
        assertThat(model.requests().getLast().messages().stream()
                        .filter(m -> m.content().contains("elided"))
                        .count())
                .isGreaterThan(0);
        assertThat(all(Telemetry.ContextMeasured.class).getLast().used()).isLessThan(6_000);
    }

    void assertSeqsContiguous() {
        List<Event> events = log.readAll(S);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).isEqualTo(i + 1L);
        }
    }

    /** Simulates the JVM dying: not a RuntimeException, so the loop does not record it. */
    static final class Killed extends Error {}
}
