package dev.drydock.server.eventlog;

import dev.drydock.server.agent.event.Event;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * In-process fan-out of appended events to live subscribers (SSE streams). Subscribers only read;
 * they never call back into the loop. Delivery happens on the appending thread after commit, so a
 * subscriber must be quick (it hands events to its own queue). What must commit with an event (the
 * audit) observes {@link EventRecorded} instead.
 */
@ApplicationScoped
public class EventBus {
    private static final Logger LOG = Logger.getLogger(EventBus.class);
    private final Map<String, Set<Consumer<Event>>> subscribers = new ConcurrentHashMap<>();
    /** The highest seq delivered per session with subscribers (so a notification of it is not read again). */
    private final Map<String, Long> delivered = new ConcurrentHashMap<>();

    /** Subscribes to one session's events; close the returned handle to stop. */
    public AutoCloseable subscribe(String sessionId, Consumer<Event> subscriber) {
        subscribers
                .computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
        return () -> subscribers.computeIfPresent(sessionId, (k, set) -> {
            set.remove(subscriber);
            if (set.isEmpty()) {
                delivered.remove(sessionId);
                return null;
            }
            return set;
        });
    }

    /** Delivers an event that has been committed. */
    public void publish(Event event) {
        Set<Consumer<Event>> set = subscribers.get(event.sessionId());
        if (set == null) {
            return;
        }
        delivered.merge(event.sessionId(), event.seq(), Math::max);
        for (Consumer<Event> s : set) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "event subscriber failed for session %s", event.sessionId());
            }
        }
    }

    /** Whether anyone here follows the session. */
    public boolean followed(String sessionId) {
        return subscribers.containsKey(sessionId);
    }

    /** The highest seq of the session delivered here so far, 0 when none. */
    public long delivered(String sessionId) {
        return delivered.getOrDefault(sessionId, 0L);
    }

    /** Number of live subscriptions (for metrics and tests). */
    public int subscriptions() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }
}
