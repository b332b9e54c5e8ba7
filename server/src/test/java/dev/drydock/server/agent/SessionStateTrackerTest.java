package dev.drydock.server.agent;

import static dev.drydock.server.agent.ScriptedModel.args;
import static dev.drydock.server.agent.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.AgentLoop.Droid;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle.Outcome;
import dev.drydock.server.agent.event.Lifecycle.SessionStarted;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.model.PromptRenderer;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The loop's cost per step does not grow with the log: shown by counting the events it reads, never
 * by timing. A step is what happens between two model calls.
 */
class SessionStateTrackerTest {
    static final String S = "s1";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** An event log that counts the events each read hands out. */
    static final class CountingLog implements EventLog {
        final InMemoryEventLog log = new InMemoryEventLog(CLOCK);
        final AtomicLong read = new AtomicLong();

        @Override
        public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
            return log.append(sessionId, source, causedBy, payload);
        }

        @Override
        public List<Event> read(String sessionId, long afterSeq, int limit) {
            List<Event> events = log.read(sessionId, afterSeq, limit);
            read.addAndGet(events.size());
            return events;
        }
    }

    final CountingLog log = new CountingLog();

    void start() {
        log.append(S, Source.USER, new SessionStarted("code", "Read calc.py a lot", "demo", "calc", "abc1234"));
        log.append(S, Source.SYSTEM, new Progress.ContextPrepared("You are the code droid.", List.of(), "", ""));
    }

    AgentLoop loop(ScriptedModel model, int maxSteps) {
        return loop(model, maxSteps, 10_000_000);
    }

    AgentLoop loop(ScriptedModel model, int maxSteps, long window) {
        InMemoryWorkspace ws = new InMemoryWorkspace(
                Map.of("calc.py", "def add(a, b):\n    return a - b\n", "big.txt", "x".repeat(4000)),
                (cmd, files) -> new CommandResult(0, "", false));
        Droid droid = new Droid(
                "code",
                "default",
                ToolBox.named(ToolBox.builtInNames(), new FinishTool()),
                new TestGatedCompletion((s, d, m, t) -> Optional.empty()),
                new Limits(maxSteps, Long.MAX_VALUE, Duration.ofHours(1)));
        ToolContext ctx = new ToolContext(S, ws, (q, n) -> List.of(), Memory.none(), new TestCommand("true", "none"));
        return new AgentLoop(
                log, model, droid, Autonomy.AUTO_EDIT, ctx, window, new AgentLoop.Retry(1, Duration.ZERO), CLOCK);
    }

    @Test
    void shouldReadOnlyNewEventsEachStepWhenSessionGrowsLong() {
        // Given a session of 300 steps whose model notes, at each call, how many events the loop has read and how long
        // the log is
        start();
        int steps = 300;
        List<long[]> atCall = new ArrayList<>();
        List<Function<ModelRequest, ModelReply>> script = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            Function<ModelRequest, ModelReply> read = call("read_file", args("path", "calc.py"));
            script.add(r -> {
                atCall.add(new long[] {log.read.get(), log.log.readAll(S).size()});
                return read.apply(r);
            });
        }

        // When
        SessionState state = loop(new ScriptedModel(script), steps).run(S);

        // Then the session ran all its steps
        assertThat(state.outcome()).contains(Outcome.LIMIT_REACHED);
        assertThat(atCall).hasSize(steps);
        long total = state.lastSeq();
        // between two model calls the loop read exactly the events appended between them: O(new events), not O(log)
        for (int k = 1; k < steps; k++) {
            long readInStep = atCall.get(k)[0] - atCall.get(k - 1)[0];
            long appendedInStep = atCall.get(k)[1] - atCall.get(k - 1)[1];
            assertThat(readInStep)
                    .as("events read in step %d of a log of %d", k, atCall.get(k)[1])
                    .isEqualTo(appendedInStep)
                    .isLessThanOrEqualTo(6);
        }
        // and over the whole run every event was read once
        assertThat(log.read.get()).isEqualTo(total);
    }

    @Test
    void shouldCopyNoMoreOfTheCallsOrThePromptEachStepWhenSessionGrowsLong() {
        // Given a session of 1,200 steps whose model keeps, at each call, the state the loop's tracker is at
        // and the prompt it was sent
        start();
        int steps = 1_200;
        SessionState.Tracker tracker = new SessionState.Tracker(log, S);
        List<SessionState> atCall = new ArrayList<>();
        List<Function<ModelRequest, ModelReply>> script = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            Function<ModelRequest, ModelReply> read = call("read_file", args("path", "calc.py"));
            script.add(r -> {
                atCall.add(tracker.catchUp());
                return read.apply(r);
            });
        }
        ScriptedModel model = new ScriptedModel(script);

        // When
        loop(model, steps).run(tracker);

        // Then each step's snapshot of the calls wrote at most the one or two leaves its new and changed calls are in,
        // however many calls came before: the copy per step is O(1) leaves, not O(calls)
        assertThat(atCall.getLast().calls()).hasSize(steps - 1);
        for (int k = 1; k < steps; k++) {
            int written = PersistentList.leavesNotShared(
                    (PersistentList<?>) atCall.get(k - 1).calls(),
                    (PersistentList<?>) atCall.get(k).calls());
            assertThat(written)
                    .as(
                            "leaves written in step %d of %d calls",
                            k, atCall.get(k).calls().size())
                    .isLessThanOrEqualTo(2);
        }
        // and the request carries the rendered prompt itself, not a copy of it
        assertThat(model.requests())
                .allSatisfy(
                        r -> assertThat(GrowingList.isSnapshot(r.messages())).isTrue());
    }

    @Test
    void shouldEqualWholeFoldWhenTrackerCatchesUpStepByStep() {
        // Given a session that ran for a while, and a tracker that caught up with it after every few appends
        start();
        SessionState.Tracker tracker = new SessionState.Tracker(log, S);
        List<SessionState> seen = new ArrayList<>();
        List<Function<ModelRequest, ModelReply>> script = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            Function<ModelRequest, ModelReply> step = k % 2 == 0
                    ? call("read_file", args("path", "calc.py"))
                    : call("update_plan", "{\"steps\":[{\"text\":\"read\",\"status\":\"in_progress\"}]}");
            script.add(r -> {
                seen.add(tracker.catchUp());
                return step.apply(r);
            });
        }
        loop(new ScriptedModel(script), 20).run(S);

        // When
        SessionState caughtUp = tracker.catchUp();

        // Then the incremental state equals the fold of the whole log, now and at every point it was taken
        assertThat(caughtUp).isEqualTo(SessionState.fold(log.log.readAll(S)));
        for (SessionState earlier : seen) {
            assertThat(earlier).isEqualTo(SessionState.fold(log.log.readAll(S).subList(0, (int) earlier.lastSeq())));
        }
    }

    @Test
    void shouldSendWhatWholeRenderGivesWhenLoopRendersOnlyNewEvents() {
        // Given a session with a small context window, so that the history is condensed along the way, whose model
        // notes the prompt the whole log renders to at each call
        start();
        long window = 6_000;
        List<List<dev.drydock.server.agent.model.Message>> expected = new ArrayList<>();
        List<Function<ModelRequest, ModelReply>> script = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            Function<ModelRequest, ModelReply> step =
                    call("read_file", args("path", k % 3 == 0 ? "big.txt" : "calc.py"));
            script.add(r -> {
                expected.add(PromptRenderer.render(SessionState.fold(log.log.readAll(S)), window)
                        .messages());
                return step.apply(r);
            });
        }
        ScriptedModel model = new ScriptedModel(script);

        // When
        loop(model, 24, window).run(S);

        // Then the incrementally rendered prompts are the whole renders, through condensations
        assertThat(log.log.readAll(S)).anyMatch(e -> e.payload() instanceof Progress.HistoryCondensed);
        assertThat(model.requests()).extracting(ModelRequest::messages).containsExactlyElementsOf(expected);
    }
}
