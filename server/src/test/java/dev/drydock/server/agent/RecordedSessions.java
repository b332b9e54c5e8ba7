package dev.drydock.server.agent;

import static dev.drydock.server.agent.ScriptedModel.args;
import static dev.drydock.server.agent.ScriptedModel.call;

import dev.drydock.server.agent.AgentLoop.Droid;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle.SessionStarted;
import dev.drydock.server.agent.event.Oversight.ActionApproved;
import dev.drydock.server.agent.event.Oversight.ApprovalRequested;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.agent.tool.FinishTool;
import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.Workspace;
import dev.drydock.server.agent.tool.Workspace.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sessions recorded with the scripted model against an in-memory workspace: the replay fixtures' source. */
public final class RecordedSessions {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private RecordedSessions() {}

    /** The code droid the fixtures were recorded with (built-in tools, tests gate the finish). */
    public static Droid codeDroid() {
        return new Droid(
                "code",
                "default",
                ToolBox.named(ToolBox.builtInNames(), new FinishTool()),
                new TestGatedCompletion((s, d, m, t) -> Optional.of("drydock/" + s)),
                new Limits(30, 1_000_000, Duration.ofHours(1)));
    }

    /** A tool context over {@code ws} with the fixtures' test command. */
    public static ToolContext context(String session, Workspace ws) {
        return new ToolContext(
                session,
                ws,
                (q, n) -> List.of(),
                Memory.none(),
                new TestCommand("python3 -m unittest discover -q", "test_*.py"));
    }

    /** The calc fix (read, failing tests, refused finish, edit, passing tests, finish) under {@code autonomy}, approvals given by mike. */
    public static List<Event> fixCalc(String session, Autonomy autonomy) {
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
        InMemoryEventLog log = new InMemoryEventLog(CLOCK);
        log.append(
                session,
                Source.USER,
                new SessionStarted("code", "Fix the failing test in calc.py", "demo", "calc", "abc1234"));
        log.append(session, Source.SYSTEM, new Progress.ContextPrepared("You are the code droid.", List.of(), "", ""));
        AgentLoop loop = new AgentLoop(
                log,
                scripted,
                codeDroid(),
                autonomy,
                context(session, ws),
                100_000,
                new AgentLoop.Retry(3, Duration.ZERO),
                CLOCK);
        SessionState state = loop.run(session);
        while (!state.finished()) {
            SessionState s = state;
            s.history().stream()
                    .map(Event::payload)
                    .filter(ApprovalRequested.class::isInstance)
                    .map(ApprovalRequested.class::cast)
                    .filter(a -> s.call(a.callId())
                            .map(c -> c.stage() == SessionState.Stage.AWAITING_APPROVAL)
                            .orElse(false))
                    .forEach(a -> log.append(session, Source.USER, new ActionApproved(a.callId(), "mike")));
            state = loop.run(session);
        }
        return log.readAll(session);
    }
}
