package dev.drydock.server.agent;

import dev.drydock.server.agent.CompletionRule.Completion;
import dev.drydock.server.agent.SessionState.Call;
import dev.drydock.server.agent.event.Action.InvokeTool;
import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.event.Conversation.ModelReplied;
import dev.drydock.server.agent.event.Conversation.QuestionAsked;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle.Outcome;
import dev.drydock.server.agent.event.Lifecycle.SessionFinished;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Observation.ActionRejected;
import dev.drydock.server.agent.event.Observation.FormatRejected;
import dev.drydock.server.agent.event.Observation.RejectedBy;
import dev.drydock.server.agent.event.Oversight.ActionDenied;
import dev.drydock.server.agent.event.Oversight.ApprovalRequested;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.model.ModelUnavailableException;
import dev.drydock.server.agent.model.PromptRenderer;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.Tool;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.ToolFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Drives one session until it finishes or waits for a person. The only writer of the session's
 * agent, environment and system events. Between iterations it keeps nothing but the fold of the log
 * so far ({@link SessionState.Tracker}, which folds only the events appended since), so it can be
 * stopped anywhere and started again over the same log, and an iteration costs the same however long
 * the log is.
 */
public final class AgentLoop {
    /** What varies between droids. */
    public record Droid(String name, String route, ToolBox tools, CompletionRule completion, Limits limits) {}

    /** How often and how patiently to retry a model call that failed for transient reasons. */
    public record Retry(int attempts, Duration backoff) {}

    /** Share of the context window above which older observations are condensed. */
    static final double CONDENSE_AT = 0.8;
    /** Observations kept verbatim when condensing. */
    static final int KEEP_RECENT = 4;

    private final EventLog log;
    private final LlmModel model;
    private final Droid droid;
    private final Autonomy autonomy;
    private final ToolContext tools;
    private final long contextWindow;
    private final Retry retry;
    private final Clock clock;

    public AgentLoop(
            EventLog log,
            LlmModel model,
            Droid droid,
            Autonomy autonomy,
            ToolContext tools,
            long contextWindow,
            Retry retry,
            Clock clock) {
        this.log = log;
        this.model = model;
        this.droid = droid;
        this.autonomy = autonomy;
        this.tools = tools;
        this.contextWindow = contextWindow;
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * Runs until the session finishes or waits (question, approval, interruption). Returns the state
     * at that point. Unexpected exceptions are bugs: the session ends {@code FAILED} and the exception
     * propagates.
     */
    public SessionState run(String session) {
        return run(new SessionState.Tracker(log, session));
    }

    /** {@link #run(String)} continuing from a tracker the caller already folded the log with. */
    public SessionState run(SessionState.Tracker tracker) {
        String session = tracker.sessionId();
        PromptRenderer.Live renderer = new PromptRenderer.Live(contextWindow);
        Taint taint = new Taint();
        try {
            while (true) {
                SessionState state = tracker.catchUp();
                switch (state.status()) {
                    case NEW, FINISHED -> {
                        return state;
                    }
                    case RUNNING, WAITING_FOR_ANSWER, WAITING_FOR_APPROVAL, INTERRUPTED -> {}
                }
                if (state.cancelRequested()) {
                    finish(session, Outcome.CANCELLED, "cancelled by a person");
                    continue;
                }
                if (state.status() != SessionState.Status.RUNNING) {
                    return state;
                }
                Optional<String> limit = droid.limits().exceededBy(state, clock);
                if (limit.isPresent()) {
                    finish(session, Outcome.LIMIT_REACHED, limit.get());
                    continue;
                }
                List<Call> pending = state.pendingCalls();
                if (pending.isEmpty()) {
                    askModel(session, state, tracker, renderer);
                } else {
                    handle(session, state, pending.getFirst(), taint.update(state.history()));
                }
            }
        } catch (RuntimeException bug) {
            if (log.unavailable(bug)) {
                // the database is away, not a bug: the driver parks the session and it resumes from the log
                throw bug;
            }
            String errorId = UUID.randomUUID().toString();
            log.append(
                    session,
                    Source.SYSTEM,
                    new SessionFinished(
                            Outcome.FAILED,
                            "internal error " + errorId + ": " + bug.getClass().getSimpleName()));
            throw new IllegalStateException("session " + session + " failed with error id " + errorId, bug);
        }
    }

    /** Render → meter (condense if needed) → one model call → record the reply and its usage. */
    private void askModel(
            String session, SessionState state, SessionState.Tracker tracker, PromptRenderer.Live renderer) {
        PromptRenderer.Rendered prompt = renderer.render(state);
        if (prompt.meter().used() > contextWindow * CONDENSE_AT) {
            Optional<Progress.HistoryCondensed> condensed =
                    condensation(state, prompt.meter().used());
            if (condensed.isPresent()) {
                log.append(session, Source.SYSTEM, condensed.get());
                prompt = renderer.render(tracker.catchUp());
            }
        }
        log.append(session, Source.SYSTEM, prompt.meter());
        ModelReply reply = null;
        for (int attempt = 1; reply == null; attempt++) {
            try {
                reply = model.complete(new ModelRequest(
                        droid.route(), prompt.messages(), droid.tools().specs()));
            } catch (ModelUnavailableException e) {
                log.append(
                        session, Source.SYSTEM, new Telemetry.ModelCallFailed(attempt, String.valueOf(e.getMessage())));
                if (attempt >= retry.attempts()) {
                    finish(
                            session,
                            Outcome.MODEL_UNAVAILABLE,
                            "model endpoint unavailable after " + attempt + " attempts: " + e.getMessage());
                    return;
                }
                pause(retry.backoff().multipliedBy(attempt));
            }
        }
        Event replied = log.append(
                session, Source.AGENT, new ModelReplied(reply.text(), uniqueIds(reply.calls(), state, tracker)));
        ModelReply.Usage u = reply.usage();
        log.append(
                session,
                Source.SYSTEM,
                replied.seq(),
                new Telemetry.ModelUsage(u.model(), u.promptTokens(), u.completionTokens(), u.costMicros()));
        if (reply.calls().isEmpty()) {
            log.append(
                    session,
                    Source.SYSTEM,
                    replied.seq(),
                    new FormatRejected(
                            "",
                            "Your reply called no tool. Use the tools to work, and call finish when you are done."));
        }
    }

    /** One pending tool call: record the rejection, the crash, or run it. */
    private void handle(String session, SessionState state, Call call, Optional<Taint.Source> taint) {
        switch (call.stage()) {
            case DENIED ->
                observe(
                        session,
                        call.replySeq(),
                        new ActionRejected(
                                call.call().id(),
                                RejectedBy.USER,
                                denial(state, call.call().id())));
            case INVOKED ->
                observe(
                        session,
                        call.actionSeq(),
                        new Observation.ToolFailed(
                                call.call().id(),
                                "interrupted: the runtime stopped while this ran; any effect it had is in the workspace (check before repeating it)"));
            case PROPOSED, APPROVED ->
                execute(session, call.call(), call.replySeq(), call.stage() == SessionState.Stage.APPROVED, taint);
            case AWAITING_APPROVAL, ASKED, DONE -> throw new IllegalStateException("not pending: " + call);
        }
    }

    /**
     * Policy → record the action → run the tool → record what happened. While the context is tainted
     * by untrusted text, an action that can exfiltrate or persist waits for a person whatever the
     * autonomy level ({@link Taint}).
     */
    private void execute(String session, ToolCall call, long replySeq, boolean approved, Optional<Taint.Source> taint) {
        Optional<Tool> found = droid.tools().find(call.tool());
        if (found.isEmpty()) {
            observe(
                    session,
                    replySeq,
                    new FormatRejected(
                            call.id(),
                            "unknown tool '" + call.tool() + "'; available: "
                                    + String.join(", ", droid.tools().names())));
            return;
        }
        Tool tool = found.get();
        Args args;
        Risk risk;
        try {
            args = Args.parse(call.arguments());
            risk = tool.risk(args, tools);
        } catch (Args.BadArguments e) {
            observe(
                    session,
                    replySeq,
                    new FormatRejected(
                            call.id(),
                            e.getMessage() + "; schema: " + tool.spec().parametersSchema()));
            return;
        }
        Autonomy.Verdict verdict = approved ? Autonomy.Verdict.RUN : autonomy.verdict(risk);
        boolean guarded = !approved && taint.isPresent() && Taint.guarded(risk);
        if (guarded && verdict == Autonomy.Verdict.RUN) {
            verdict = Autonomy.Verdict.ASK;
        }
        switch (verdict) {
            case BLOCK -> {
                observe(
                        session,
                        replySeq,
                        new ActionRejected(
                                call.id(),
                                RejectedBy.POLICY,
                                "a "
                                        + risk.name()
                                                .toLowerCase(java.util.Locale.ROOT)
                                                .replace('_', ' ')
                                        + " action is not allowed in this workspace (autonomy " + autonomy + ")"));
                return;
            }
            case ASK -> {
                log.append(
                        session,
                        Source.SYSTEM,
                        replySeq,
                        new ApprovalRequested(
                                call.id(),
                                call.tool(),
                                args.json(),
                                risk,
                                guarded
                                        ? taint.get().sentence() + ": a " + risk
                                                + " action needs a person's approval whatever the autonomy (autonomy "
                                                + autonomy + ")"
                                        : "autonomy " + autonomy + " asks a person for " + risk + " actions"));
                return;
            }
            case RUN -> {}
        }
        Event action =
                log.append(session, Source.AGENT, replySeq, new InvokeTool(call.id(), call.tool(), args.json(), risk));
        Effect effect;
        try {
            effect = tool.execute(args, tools);
        } catch (Args.BadArguments e) {
            observe(
                    session,
                    action.seq(),
                    new FormatRejected(call.id(), Objects.requireNonNullElse(e.getMessage(), e.toString())));
            return;
        } catch (ToolFailure e) {
            effect = new Effect.Failed(String.valueOf(e.getMessage()));
        }
        record(session, call.id(), action.seq(), effect);
    }

    /** Turns a tool's effect into events. */
    private void record(String session, String callId, long actionSeq, Effect effect) {
        switch (effect) {
            case Effect.Output o -> observe(session, actionSeq, new Observation.ToolSucceeded(callId, o.text()));
            case Effect.CommandRan c ->
                observe(
                        session,
                        actionSeq,
                        new Observation.CommandFinished(callId, c.command(), c.exitCode(), c.output(), c.timedOut()));
            case Effect.Changed c ->
                observe(session, actionSeq, new Observation.FileChanged(callId, c.path(), c.diff()));
            case Effect.Failed f -> observe(session, actionSeq, new Observation.ToolFailed(callId, f.error()));
            case Effect.Ask a ->
                log.append(session, Source.AGENT, actionSeq, new QuestionAsked(callId, a.question(), a.options()));
            case Effect.Plan p -> {
                log.append(session, Source.AGENT, actionSeq, new Progress.PlanUpdated(p.steps()));
                observe(
                        session,
                        actionSeq,
                        new Observation.ToolSucceeded(
                                callId, "plan updated (" + p.steps().size() + " steps)"));
            }
            case Effect.Finish f -> {
                switch (droid.completion().check(f, tools)) {
                    case Completion.Refused r ->
                        observe(session, actionSeq, new ActionRejected(callId, RejectedBy.COMPLETION_RULE, r.reason()));
                    case Completion.Accepted a -> {
                        observe(session, actionSeq, new Observation.ToolSucceeded(callId, "finish accepted"));
                        a.artifacts().forEach(artifact -> log.append(session, Source.SYSTEM, actionSeq, artifact));
                        finish(session, Outcome.COMPLETED, a.summary());
                    }
                }
            }
        }
    }

    private void observe(String session, @Nullable Long causedBy, Observation observation) {
        log.append(session, Source.ENVIRONMENT, causedBy, observation);
    }

    private void finish(String session, Outcome outcome, String summary) {
        log.append(session, Source.SYSTEM, new SessionFinished(outcome, summary));
    }

    /** Elide all observations but the most recent few, if that leaves something to elide. */
    private static Optional<Progress.HistoryCondensed> condensation(SessionState state, long used) {
        List<Event> observations = state.history().stream()
                .filter(e -> e.payload() instanceof Observation && e.seq() > state.condensedThrough())
                .toList();
        if (observations.size() <= KEEP_RECENT) {
            return Optional.empty();
        }
        List<Event> elide = observations.subList(0, observations.size() - KEEP_RECENT);
        long saved = elide.stream()
                .mapToLong(e -> PromptRenderer.text((Observation) e.payload()).length() / 4)
                .sum();
        return Optional.of(new Progress.HistoryCondensed(elide.getLast().seq(), elide.size(), Math.min(saved, used)));
    }

    private static String denial(SessionState state, String callId) {
        for (Event e : state.history().reversed()) {
            if (e.payload() instanceof ActionDenied d && d.callId().equals(callId)) {
                return "denied by " + d.by() + (d.reason().isBlank() ? "" : ": " + d.reason());
            }
        }
        return "denied";
    }

    /** Tool call ids must be unique in a session: blanks and repeats get a generated id. */
    private static List<ToolCall> uniqueIds(List<ToolCall> calls, SessionState state, SessionState.Tracker tracker) {
        Set<String> seen = new HashSet<>();
        List<ToolCall> out = new ArrayList<>();
        for (int k = 0; k < calls.size(); k++) {
            ToolCall c = calls.get(k);
            String id = c.id();
            if (id.isBlank() || seen.contains(id) || tracker.hasCall(id)) {
                id = "call_" + (state.lastSeq() + 1) + "_" + k;
            }
            seen.add(id);
            out.add(new ToolCall(id, c.tool(), c.arguments()));
        }
        return out;
    }

    private static void pause(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
