package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The append-only log of a session: the source of truth. Appends are atomic and get the next seq;
 * concurrent appends to one session are serialised by the implementation.
 */
public interface EventLog {
    /** Appends one event and returns it with its seq and timestamp. */
    Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload);

    /** Events with {@code seq > afterSeq}, in order, at most {@code limit}. */
    List<Event> read(String sessionId, long afterSeq, int limit);

    /** The whole log of a session, in order. */
    default List<Event> readAll(String sessionId) {
        return read(sessionId, 0, Integer.MAX_VALUE);
    }

    /**
     * Whether {@code e} says the log's store cannot be reached now (a database restarting): nothing
     * about the session may be decided from it; its driver stops and the session is resumed later.
     */
    default boolean unavailable(Throwable e) {
        return false;
    }

    /** Shorthand for an event that answers no other. */
    default Event append(String sessionId, Source source, Payload payload) {
        return append(sessionId, source, null, payload);
    }
}
