package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Lifecycle.Outcome;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.event.Progress.PlanStep;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.event.Unknown;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about a session, computed as a pure fold over its events. Nothing else is the
 * source of truth: the loop, the API and the portal all read this.
 */
public record SessionState(
        String sessionId,
        long lastSeq,
        Status status,
        Optional<Lifecycle.SessionStarted> started,
        Optional<Progress.ContextPrepared> context,
        Optional<Outcome> outcome,
        String summary,
        boolean cancelRequested,
        int modelCalls,
        int modelCallsSinceStart,
        Instant runningSince,
        Totals totals,
        List<PlanStep> plan,
        long condensedThrough,
        Optional<Telemetry.ContextMeasured> lastMeter,
        Optional<String> raisedClassification,
        List<Call> calls,
        List<ArtifactProduced> artifacts,
        List<Event> history,
        List<Call> pendingCalls) {

    /** Where a session is. */
    public enum Status {
        /** No {@code SessionStarted} yet. */
        NEW,
        /** The loop drives it (or should: a resume is due). */
        RUNNING,
        /** A question waits for a person. */
        WAITING_FOR_ANSWER,
        /** A tool call waits for approval. */
        WAITING_FOR_APPROVAL,
        /** The runtime stopped driving it; a resume continues. */
        INTERRUPTED,
        /** Finished; see {@link SessionState#outcome()}. */
        FINISHED
    }

    /** Per-session usage totals. */
    public record Totals(long promptTokens, long completionTokens, long costMicros) {
        Totals plus(Telemetry.ModelUsage u) {
            return new Totals(
                    promptTokens + u.promptTokens(),
                    completionTokens + u.completionTokens(),
                    costMicros + u.costMicros());
        }
    }

    /** One tool call the model asked for, and how far it got. */
    public record Call(
            ToolCall call,
            long replySeq,
            Stage stage,
            @Nullable Long actionSeq) {
        Call at(Stage next) {
            return new Call(call, replySeq, next, actionSeq);
        }
    }

    /** How far a tool call got. */
    public enum Stage {
        /** The model asked for it; nothing else happened yet. */
        PROPOSED,
        /** The policy asked a person. */
        AWAITING_APPROVAL,
        /** A person approved it; it runs next. */
        APPROVED,
        /** A person denied it; the loop records the rejection next. */
        DENIED,
        /** Recorded as an action, no observation yet (a crash in between leaves it here). */
        INVOKED,
        /** A question waits for the person. */
        ASKED,
        /** An observation or answer closed it. */
        DONE
    }

    /** The calls the loop still has to handle, in order. */
    public List<Call> pendingCalls() {
        return pendingCalls;
    }

    private static boolean pending(Stage stage) {
        return switch (stage) {
            case PROPOSED, APPROVED, DENIED, INVOKED -> true;
            case AWAITING_APPROVAL, ASKED, DONE -> false;
        };
    }

    /** The call with this id, if the model made it (a scan: for the API, not the loop). */
    public Optional<Call> call(String callId) {
        return calls.stream().filter(c -> c.call().id().equals(callId)).findFirst();
    }

    /** Whether the session is finished. */
    public boolean finished() {
        return status == Status.FINISHED;
    }

    /** Folds a whole log. */
    public static SessionState fold(List<Event> events) {
        Folder f = new Folder();
        events.forEach(f::apply);
        return f.result(List.copyOf(events));
    }

    /**
     * A session's state kept current incrementally: each {@link #catchUp} reads only the events after
     * the last one it folded and folds them onto the cached state, so the work per call grows with
     * the new events, not with the log. Gives the same state as {@link #fold} over the whole log.
     * Not thread-safe: one per loop run.
     */
    public static final class Tracker {
        private final EventLog log;
        private final String sessionId;
        private final Folder folder = new Folder();
        private final GrowingList<Event> history = new GrowingList<>();
        private @Nullable SessionState current;

        public Tracker(EventLog log, String sessionId) {
            this.log = log;
            this.sessionId = sessionId;
        }

        public String sessionId() {
            return sessionId;
        }

        /** Whether the session already has a tool call with this id (as of the last catch-up). */
        public boolean hasCall(String callId) {
            return folder.order.containsKey(callId);
        }

        /** Folds the events appended since the last call and returns the state after them. */
        public SessionState catchUp() {
            List<Event> fresh = log.read(sessionId, folder.lastSeq, Integer.MAX_VALUE);
            for (Event e : fresh) {
                if (e.seq() != folder.lastSeq + 1) {
                    throw new IllegalStateException(
                            "session " + sessionId + ": event " + e.seq() + " read after " + folder.lastSeq);
                }
                folder.apply(e);
                history.add(e);
            }
            if (current == null || !fresh.isEmpty()) {
                current = folder.result(history.snapshot());
            }
            return current;
        }
    }

    /** Mutable accumulator used only inside {@link #fold} and a {@link Tracker}. */
    private static final class Folder {
        String sessionId = "";
        long lastSeq;
        Lifecycle.@Nullable SessionStarted started;
        Progress.@Nullable ContextPrepared context;

        @Nullable
        Outcome outcome;

        String summary = "";
        boolean finished;
        boolean interrupted;
        boolean cancelRequested;
        int modelCalls;
        int modelCallsSinceStart;
        Instant runningSince = Instant.EPOCH;
        Totals totals = new Totals(0, 0, 0);
        List<PlanStep> plan = List.of();
        long condensedThrough;
        Telemetry.@Nullable ContextMeasured meter;

        @Nullable
        String classification;
        /** Every call in the order the model made them; a snapshot of it shares all but one path with the last. */
        PersistentList<Call> calls = PersistentList.empty();
        /** Position of each call id in {@link #calls}. */
        final Map<String, Integer> order = new HashMap<>();
        /** The calls not done yet, by position: what status and pending calls are read from. */
        final TreeMap<Integer, Call> open = new TreeMap<>();

        int asked;
        int awaitingApproval;
        final GrowingList<ArtifactProduced> artifacts = new GrowingList<>();

        void apply(Event e) {
            sessionId = e.sessionId();
            lastSeq = e.seq();
            switch (e.payload()) {
                case Lifecycle l -> lifecycle(e, l);
                case Conversation c -> conversation(e, c);
                case Action a -> action(e, a);
                case Observation o -> stage(o.callId(), Stage.DONE);
                case Oversight o -> oversight(o);
                case Progress p -> progress(p);
                case Telemetry t -> telemetry(t);
                case Unknown u -> {
                    // Written by a newer version: shown in the history, not interpreted.
                }
            }
        }

        private void lifecycle(Event e, Lifecycle l) {
            switch (l) {
                case Lifecycle.SessionStarted s -> {
                    started = s;
                    runningSince = e.at();
                }
                case Lifecycle.SessionInterrupted i -> interrupted = true;
                case Lifecycle.SessionResumed r -> {
                    interrupted = false;
                    if (finished) {
                        finished = false;
                        outcome = null;
                        cancelRequested = false;
                        modelCallsSinceStart = 0;
                        runningSince = e.at();
                    }
                }
                case Lifecycle.SessionFinished f -> {
                    finished = true;
                    outcome = f.outcome();
                    summary = f.summary();
                }
            }
        }

        private void conversation(Event e, Conversation c) {
            switch (c) {
                case Conversation.UserMessage m -> {}
                case Conversation.Attached a -> {}
                case Conversation.ModelReplied r -> {
                    modelCalls++;
                    modelCallsSinceStart++;
                    for (ToolCall call : r.calls()) {
                        put(call.id(), new Call(call, e.seq(), Stage.PROPOSED, null));
                    }
                }
                case Conversation.QuestionAsked q -> stage(q.callId(), Stage.ASKED);
                case Conversation.QuestionAnswered a -> stage(a.callId(), Stage.DONE);
            }
        }

        private void action(Event e, Action a) {
            switch (a) {
                case Action.InvokeTool t -> {
                    Call c = call(t.callId());
                    if (c != null) {
                        put(t.callId(), new Call(c.call(), c.replySeq(), Stage.INVOKED, e.seq()));
                    }
                }
            }
        }

        private void oversight(Oversight o) {
            switch (o) {
                case Oversight.ApprovalRequested r -> stage(r.callId(), Stage.AWAITING_APPROVAL);
                case Oversight.ActionApproved a -> stage(a.callId(), Stage.APPROVED);
                case Oversight.ActionDenied d -> stage(d.callId(), Stage.DENIED);
                case Oversight.CancelRequested c -> cancelRequested = true;
            }
        }

        private void progress(Progress p) {
            switch (p) {
                case Progress.ContextPrepared c -> context = c;
                case Progress.PlanUpdated u -> plan = u.steps();
                case Progress.HistoryCondensed h -> condensedThrough = Math.max(condensedThrough, h.throughSeq());
                case Progress.ArtifactProduced a -> artifacts.add(a);
            }
        }

        private void telemetry(Telemetry t) {
            switch (t) {
                case Telemetry.ContextMeasured m -> meter = m;
                case Telemetry.ModelUsage u -> totals = totals.plus(u);
                case Telemetry.ModelCallFailed f -> {}
                case Telemetry.ClassificationRaised c -> classification = c.to();
                case Telemetry.MirrorRequested r -> {}
                case Telemetry.SetupCompleted c -> {}
            }
        }

        private @Nullable Call call(String callId) {
            Integer position = order.get(callId);
            return position == null ? null : calls.get(position);
        }

        private void stage(String callId, Stage next) {
            Call c = call(callId);
            if (c != null) {
                put(callId, c.at(next));
            }
        }

        /** Records a call's new stage, keeping the open calls and the waiting counts in step. */
        private void put(String callId, Call next) {
            Integer known = order.get(callId);
            int position;
            if (known == null) {
                position = calls.size();
                order.put(callId, position);
                calls = calls.plus(next);
            } else {
                position = known;
                count(calls.get(position).stage(), -1);
                calls = calls.with(position, next);
            }
            count(next.stage(), 1);
            if (next.stage() == Stage.DONE) {
                open.remove(position);
            } else {
                open.put(position, next);
            }
        }

        private void count(Stage stage, int delta) {
            switch (stage) {
                case ASKED -> asked += delta;
                case AWAITING_APPROVAL -> awaitingApproval += delta;
                case PROPOSED, APPROVED, DENIED, INVOKED, DONE -> {}
            }
        }

        /** The state so far; {@code history} is the immutable list of the events folded. */
        SessionState result(List<Event> history) {
            Status status;
            if (started == null) {
                status = Status.NEW;
            } else if (finished) {
                status = Status.FINISHED;
            } else if (interrupted) {
                status = Status.INTERRUPTED;
            } else if (asked > 0) {
                status = Status.WAITING_FOR_ANSWER;
            } else if (awaitingApproval > 0) {
                status = Status.WAITING_FOR_APPROVAL;
            } else {
                status = Status.RUNNING;
            }
            return new SessionState(
                    sessionId,
                    lastSeq,
                    status,
                    Optional.ofNullable(started),
                    Optional.ofNullable(context),
                    Optional.ofNullable(outcome),
                    summary,
                    cancelRequested,
                    modelCalls,
                    modelCallsSinceStart,
                    runningSince,
                    totals,
                    plan,
                    condensedThrough,
                    Optional.ofNullable(meter),
                    Optional.ofNullable(classification),
                    calls,
                    artifacts.snapshot(),
                    history,
                    open.values().stream().filter(c -> pending(c.stage())).toList());
        }
    }
}
