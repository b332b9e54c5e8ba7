package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** An {@link EventLog} in memory: for tests, the benchmark and sessions that need no persistence. */
public final class InMemoryEventLog implements EventLog {
    private final Map<String, List<Event>> logs = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Consumer<Event> onAppend;

    public InMemoryEventLog(Clock clock) {
        this(clock, e -> {});
    }

    /** {@code onAppend} sees every event right after it is stored (on the appending thread). */
    public InMemoryEventLog(Clock clock, Consumer<Event> onAppend) {
        this.clock = clock;
        this.onAppend = onAppend;
    }

    @Override
    public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
        List<Event> log = logs.computeIfAbsent(sessionId, k -> new ArrayList<>());
        Event event;
        synchronized (log) {
            event = new Event(sessionId, log.size() + 1L, clock.instant(), source, causedBy, payload);
            log.add(event);
        }
        onAppend.accept(event);
        return event;
    }

    @Override
    public List<Event> read(String sessionId, long afterSeq, int limit) {
        List<Event> log = logs.getOrDefault(sessionId, List.of());
        synchronized (log) {
            int from = (int) Math.min(afterSeq, log.size());
            int to = (int) Math.min((long) from + limit, log.size());
            return List.copyOf(log.subList(from, to));
        }
    }
}
