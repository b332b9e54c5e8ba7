package dev.drydock.server.agent;

import dev.drydock.server.agent.CompletionRule.Completion;
import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.event.Unknown;
import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.model.ModelUnavailableException;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.Json;
import dev.drydock.server.agent.tool.Tool;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Re-runs a recorded session's {@link AgentLoop} offline: the model is replaced by the recorded
 * replies (and recorded call failures), every tool by the recorded observation of its call, and what
 * people and the rest of the runtime wrote (approvals, answers, messages, resumes, classification)
 * is fed back at the position it was recorded. The loop itself (the prompt meter, the policy, the
 * approvals it asks, the completion rule's decision as recorded, the outcome) runs for real against
 * the droid, autonomy and window it is given, and each event it writes must equal the recorded one
 * at the same position. The first one that does not is the divergence.
 */
public final class SessionReplay {
    private SessionReplay() {}

    /**
     * What a replay found.
     *
     * @param steps model replies the loop consumed before it finished or diverged
     * @param firstDivergence the seq of the first recorded event the replayed loop did not write the same
     * @param detail what differed (empty when nothing did)
     */
    public record Result(
            String session,
            int steps,
            boolean diverged,
            @Nullable Long firstDivergence,
            String detail) {
        /** The one-line JSON summary: {@code {"session":…,"steps":…,"diverged":…,"first_divergence":…}}. */
        public String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session", session);
            m.put("steps", new java.math.BigDecimal(steps));
            m.put("diverged", diverged);
            m.put("first_divergence", firstDivergence == null ? Json.NULL : new java.math.BigDecimal(firstDivergence));
            return Json.write(m);
        }
    }

    /**
     * The prompt fingerprints the gateway recorded, one per model call in order ({@code null} where it
     * recorded none), and how to compute one for a replayed request. When a recorded one is known, the
     * replayed request must hash the same: a change to the prompt shows as a divergence.
     */
    public record Fingerprints(List<@Nullable String> recorded, Function<ModelRequest, String> of) {
        public static Fingerprints none() {
            return new Fingerprints(List.of(), r -> "");
        }
    }

    /** What the loop is configured with for the replay. */
    public record Setup(
            AgentLoop.Droid droid, Autonomy autonomy, ToolContext context, long window, int modelAttempts) {}

    /** Replays {@code recorded} (one session's whole log, in order). */
    public static Result replay(List<Event> recorded, Setup setup, Fingerprints fingerprints) {
        if (recorded.isEmpty()) {
            throw new IllegalArgumentException("nothing recorded to replay");
        }
        String session = recorded.getFirst().sessionId();
        ReplayLog log = new ReplayLog(recorded);
        ReplayModel model = new ReplayModel(recorded, fingerprints, log);
        AgentLoop.Droid droid = new AgentLoop.Droid(
                setup.droid().name(),
                setup.droid().route(),
                replayed(setup.droid().tools(), log),
                new ReplayCompletion(log),
                setup.droid().limits());
        AgentLoop loop = new AgentLoop(
                log,
                model,
                droid,
                setup.autonomy(),
                setup.context(),
                setup.window(),
                new AgentLoop.Retry(Math.max(1, setup.modelAttempts()), Duration.ZERO),
                log.clock());
        while (!log.diverged()) {
            log.injectExternals();
            if (log.exhausted()) {
                break;
            }
            int before = log.cursor();
            try {
                loop.run(session);
            } catch (RuntimeException e) {
                if (!log.diverged()) {
                    log.diverge(
                            log.cursor() < recorded.size()
                                    ? recorded.get(log.cursor()).seq()
                                    : log.nextSeq(),
                            "the replayed loop failed: " + e.getMessage());
                }
                break;
            }
            if (!log.diverged() && log.cursor() == before) {
                Event expected = recorded.get(log.cursor());
                log.diverge(
                        expected.seq(),
                        "the replayed loop stopped where the recording continues with "
                                + expected.payload().getClass().getSimpleName());
            }
        }
        return new Result(
                session, model.consumed, log.diverged(), log.divergedAt, Objects.requireNonNullElse(log.detail, ""));
    }

    /** Whether the loop writes events of this kind (everything else comes from people or the runtime). */
    static boolean writtenByLoop(Payload p) {
        return switch (p) {
            case Telemetry.ContextMeasured m -> true;
            case Telemetry.ModelUsage u -> true;
            case Telemetry.ModelCallFailed f -> true;
            case Telemetry t -> false;
            case Conversation.ModelReplied r -> true;
            case Conversation.QuestionAsked q -> true;
            case Conversation c -> false;
            case Action a -> true;
            case Observation o -> true;
            case Oversight.ApprovalRequested a -> true;
            case Oversight o -> false;
            case Progress.HistoryCondensed h -> true;
            case Progress.PlanUpdated u -> true;
            case Progress.ArtifactProduced a -> true;
            case Progress p2 -> false;
            case Lifecycle.SessionFinished f -> true;
            case Lifecycle l -> false;
            case Unknown u -> false;
        };
    }

    /** Whether the replayed event says the same as the recorded one. */
    static boolean same(Event recorded, Source source, @Nullable Long causedBy, Payload payload) {
        if (recorded.source() != source || !Objects.equals(recorded.causedBy(), causedBy)) {
            return false;
        }
        if (recorded.payload() instanceof Lifecycle.SessionFinished r
                && payload instanceof Lifecycle.SessionFinished p) {
            // a failure's summary carries a fresh error id
            return r.outcome() == p.outcome()
                    && (r.outcome() == Lifecycle.Outcome.FAILED || r.summary().equals(p.summary()));
        }
        return recorded.payload().equals(payload);
    }

    private static ToolBox replayed(ToolBox tools, ReplayLog log) {
        List<Tool> out = new ArrayList<>();
        for (String name : tools.names()) {
            tools.find(name).ifPresent(t -> out.add(new ReplayedTool(t, log)));
        }
        return ToolBox.of(out);
    }

    /** Thrown through the loop to stop it at the first divergence. */
    static final class Diverged extends RuntimeException {
        Diverged(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The replay's event log: compares each event the loop appends with the recorded one at that
     * position, and appends the recorded events the loop does not write where they were recorded.
     */
    static final class ReplayLog implements EventLog {
        private final List<Event> recorded;
        private final List<Event> replayed = new ArrayList<>();
        private int cursor;
        private Instant now;
        private @Nullable Long divergedAt;
        private @Nullable String detail;
        private @Nullable Event lastInvoke;

        ReplayLog(List<Event> recorded) {
            this.recorded = List.copyOf(recorded);
            this.now = recorded.getFirst().at();
        }

        Clock clock() {
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            };
        }

        int cursor() {
            return cursor;
        }

        long nextSeq() {
            return replayed.size() + 1L;
        }

        boolean exhausted() {
            return cursor >= recorded.size();
        }

        boolean diverged() {
            return divergedAt != null;
        }

        void diverge(long seq, String why) {
            if (divergedAt == null) {
                divergedAt = seq;
                detail = why;
            }
        }

        /** Appends the recorded events the loop does not write, up to the next one it does. */
        void injectExternals() {
            while (cursor < recorded.size()
                    && !writtenByLoop(recorded.get(cursor).payload())) {
                add(recorded.get(cursor++));
            }
        }

        private void add(Event e) {
            replayed.add(e);
            now = e.at();
        }

        /** The recorded event the loop wrote in answer to the action at {@code actionSeq}, if any. */
        @Nullable
        Event reactionTo(long actionSeq) {
            for (int i = cursor; i < recorded.size(); i++) {
                Event e = recorded.get(i);
                if (writtenByLoop(e.payload())) {
                    return Objects.equals(e.causedBy(), actionSeq) ? e : null;
                }
            }
            return null;
        }

        /** The recorded events written after {@code from} in answer to the action at {@code actionSeq}. */
        List<Event> answersTo(long actionSeq) {
            return recorded.stream()
                    .filter(e -> Objects.equals(e.causedBy(), actionSeq))
                    .toList();
        }

        /** The recorded end of the session after the event at {@code afterSeq}. */
        Lifecycle.@Nullable SessionFinished finishAfter(long afterSeq) {
            for (Event e : recorded) {
                if (e.seq() > afterSeq && e.payload() instanceof Lifecycle.SessionFinished f) {
                    return f;
                }
            }
            return null;
        }

        @Nullable
        Event lastInvoke() {
            return lastInvoke;
        }

        @Override
        public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
            Event event = new Event(sessionId, nextSeq(), now, source, causedBy, payload);
            if (diverged()) {
                replayed.add(event);
                return event;
            }
            if (cursor >= recorded.size()) {
                diverge(event.seq(), "the replayed loop wrote " + describe(payload) + " after the recording ended");
                throw new Diverged(Objects.requireNonNull(detail));
            }
            Event expected = recorded.get(cursor);
            if (!same(expected, source, causedBy, payload)) {
                diverge(expected.seq(), "recorded " + describe(expected.payload()) + ", replayed " + describe(payload));
                throw new Diverged(Objects.requireNonNull(detail));
            }
            Event stamped = new Event(sessionId, expected.seq(), expected.at(), source, causedBy, payload);
            cursor++;
            add(stamped);
            if (payload instanceof Action.InvokeTool) {
                lastInvoke = stamped;
            }
            injectExternals();
            return stamped;
        }

        @Override
        public List<Event> read(String sessionId, long afterSeq, int limit) {
            int from = (int) Math.min(afterSeq, replayed.size());
            int to = (int) Math.min((long) from + limit, replayed.size());
            return List.copyOf(replayed.subList(from, to));
        }

        private static String describe(Payload p) {
            String s = String.valueOf(p);
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }
    }

    /** The recorded replies (and failed calls) in order. */
    static final class ReplayModel implements LlmModel {
        private final List<Event> outcomes = new ArrayList<>();
        private final Map<Long, Telemetry.ModelUsage> usage = new LinkedHashMap<>();
        private final Fingerprints fingerprints;
        private final ReplayLog log;
        private int next;
        int consumed;

        ReplayModel(List<Event> recorded, Fingerprints fingerprints, ReplayLog log) {
            this.fingerprints = fingerprints;
            this.log = log;
            for (Event e : recorded) {
                switch (e.payload()) {
                    case Conversation.ModelReplied r -> outcomes.add(e);
                    case Telemetry.ModelCallFailed f -> outcomes.add(e);
                    case Telemetry.ModelUsage u -> {
                        if (e.causedBy() != null) {
                            usage.put(e.causedBy(), u);
                        }
                    }
                    default -> {}
                }
            }
        }

        @Override
        public ModelReply complete(ModelRequest request) {
            if (next >= outcomes.size()) {
                log.diverge(log.nextSeq(), "the replayed loop called the model more often than recorded");
                throw new Diverged("more model calls than recorded");
            }
            int k = next++;
            Event outcome = outcomes.get(k);
            String expected =
                    k < fingerprints.recorded().size() ? fingerprints.recorded().get(k) : null;
            if (expected != null) {
                String actual = fingerprints.of().apply(request);
                if (!expected.equals(actual)) {
                    log.diverge(
                            outcome.seq(),
                            "model call " + (k + 1) + ": the prompt the gateway recorded has sha256 " + expected
                                    + ", the replayed prompt " + actual);
                    throw new Diverged("prompt differs");
                }
            }
            return switch (outcome.payload()) {
                case Telemetry.ModelCallFailed f -> throw new ModelUnavailableException(f.reason());
                case Conversation.ModelReplied r -> {
                    consumed++;
                    Telemetry.ModelUsage u = usage.get(outcome.seq());
                    yield new ModelReply(
                            r.text(),
                            r.calls(),
                            u == null
                                    ? ModelReply.Usage.NONE
                                    : new ModelReply.Usage(
                                            u.model(), u.promptTokens(), u.completionTokens(), u.costMicros()));
                }
                default -> throw new IllegalStateException("not a model outcome: " + outcome);
            };
        }
    }

    /** A tool whose spec and risk are the real tool's, and whose run is the recorded one. */
    record ReplayedTool(Tool real, ReplayLog log) implements Tool {
        @Override
        public ToolSpec spec() {
            return real.spec();
        }

        @Override
        public Action.Risk risk(Args args) {
            return real.risk(args);
        }

        @Override
        public Action.Risk risk(Args args, ToolContext context) {
            return real.risk(args, context);
        }

        @Override
        public Effect execute(Args args, ToolContext context) {
            Event action = Objects.requireNonNull(log.lastInvoke(), "a tool runs after its action is recorded");
            if (real.spec().name().equals("finish")) {
                return real.execute(args, context);
            }
            Event reaction = log.reactionTo(action.seq());
            if (reaction == null) {
                return new Effect.Failed("[replay: no result was recorded for this call]");
            }
            return switch (reaction.payload()) {
                case Observation.ToolSucceeded s -> new Effect.Output(s.output());
                case Observation.CommandFinished c ->
                    new Effect.CommandRan(c.command(), c.exitCode(), c.output(), c.timedOut());
                case Observation.FileChanged f -> new Effect.Changed(f.path(), f.diff());
                case Observation.ToolFailed f -> new Effect.Failed(f.error());
                case Observation.FormatRejected f -> throw new Args.BadArguments(f.reason());
                case Progress.PlanUpdated p -> new Effect.Plan(p.steps());
                case Conversation.QuestionAsked q -> new Effect.Ask(q.question(), q.options());
                default ->
                    new Effect.Failed(
                            "[replay: recorded " + reaction.payload().getClass().getSimpleName() + "]");
            };
        }
    }

    /** The completion rule's recorded decision for the finish being replayed. */
    record ReplayCompletion(ReplayLog log) implements CompletionRule {
        @Override
        public Completion check(Effect.Finish finish, ToolContext context) {
            Event action = Objects.requireNonNull(log.lastInvoke(), "finish runs after its action is recorded");
            Event reaction = log.reactionTo(action.seq());
            if (reaction != null && reaction.payload() instanceof Observation.ActionRejected r) {
                return new Completion.Refused(r.reason());
            }
            List<Progress.ArtifactProduced> artifacts = log.answersTo(action.seq()).stream()
                    .map(Event::payload)
                    .filter(Progress.ArtifactProduced.class::isInstance)
                    .map(Progress.ArtifactProduced.class::cast)
                    .toList();
            Lifecycle.SessionFinished end = log.finishAfter(action.seq());
            return new Completion.Accepted(end == null ? finish.summary() : end.summary(), artifacts);
        }
    }
}
