package dev.drydock.server.agent.model;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.SessionState;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the model saw: every model call of a session, rebuilt from its log with the loop's own {@link
 * PromptRenderer} over the events before the call's context meter. One entry per call the loop made
 * (a retried call is one entry per attempt, each with the same messages), in order, so the n-th entry
 * is the gateway's n-th request of the session.
 */
public final class ModelCalls {
    private ModelCalls() {}

    /**
     * One model call.
     *
     * @param seq the seq of the reply, or of the recorded failure
     * @param meterSeq the seq of the context meter recorded just before the call
     * @param replied whether the model replied (else the call failed)
     * @param messages the messages sent, exactly as the loop rendered them
     * @param tokens estimated tokens per source
     */
    public record Call(int index, long seq, long meterSeq, boolean replied, List<Message> messages, Sources tokens) {}

    /**
     * Estimated tokens of a prompt per source: the droid's system prompt, the repository's rules and
     * overview, retrieved code (search, grep, read and list outputs), other tool output (commands,
     * tests, diffs, refusals), and the rest of the history (the task, messages, the model's own turns).
     */
    public record Sources(long system, long rules, long retrievedCode, long toolOutput, long history) {
        public long total() {
            return system + rules + retrievedCode + toolOutput + history;
        }
    }

    /** Every model call of the session whose whole log is {@code events}. */
    public static List<Call> rebuild(List<Event> events) {
        List<Call> out = new ArrayList<>();
        if (events.isEmpty()) {
            return out;
        }
        Prefix prefix = new Prefix(events);
        SessionState.Tracker tracker =
                new SessionState.Tracker(prefix, events.getFirst().sessionId());
        Telemetry.@Nullable ContextMeasured meter = null;
        long meterSeq = 0;
        List<Message> messages = List.of();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            switch (e.payload()) {
                case Telemetry.ContextMeasured m -> {
                    prefix.limit = i;
                    PromptRenderer.Rendered rendered = PromptRenderer.render(tracker.catchUp(), m.window());
                    meter = m;
                    meterSeq = e.seq();
                    messages = rendered.messages();
                }
                case Conversation.ModelReplied r -> {
                    if (meter != null) {
                        out.add(new Call(out.size() + 1, e.seq(), meterSeq, true, messages, sources(meter, messages)));
                    }
                }
                case Telemetry.ModelCallFailed f -> {
                    if (meter != null) {
                        out.add(new Call(out.size() + 1, e.seq(), meterSeq, false, messages, sources(meter, messages)));
                    }
                }
                default -> {}
            }
        }
        return out;
    }

    private static Sources sources(Telemetry.ContextMeasured meter, List<Message> messages) {
        long tools = 0;
        for (Message m : messages) {
            if (m.role() == Message.Role.TOOL) {
                tools += Tokens.estimate(m.content());
            }
        }
        long toolOutput = Math.max(0, tools - meter.retrieved());
        return new Sources(
                meter.system(),
                meter.rules(),
                meter.retrieved(),
                toolOutput,
                Math.max(0, meter.history() - toolOutput));
    }

    /** The first {@code limit} events of a log, as an {@link EventLog} a tracker can read. */
    private static final class Prefix implements EventLog {
        private final List<Event> events;
        int limit;

        Prefix(List<Event> events) {
            this.events = events;
        }

        @Override
        public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
            throw new UnsupportedOperationException("a rebuilt log is read-only");
        }

        @Override
        public List<Event> read(String sessionId, long afterSeq, int max) {
            int from = (int) Math.min(afterSeq, limit);
            int to = (int) Math.min((long) from + max, limit);
            return List.copyOf(events.subList(from, to));
        }
    }
}
