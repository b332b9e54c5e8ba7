package dev.drydock.server.session;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.eventlog.PostgresEventLog;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The log as one driver of one session sees it: every append carries the fencing token of the lease
 * the driver holds, and the database refuses it ({@link PostgresEventLog.FencedOut}) once the lease
 * moved on. Reads are plain reads.
 */
final class FencedEventLog implements EventLog {
    private final PostgresEventLog log;
    private final long token;

    FencedEventLog(PostgresEventLog log, long token) {
        this.log = log;
        this.token = token;
    }

    @Override
    public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
        return log.append(sessionId, source, causedBy, payload, token);
    }

    @Override
    public List<Event> read(String sessionId, long afterSeq, int limit) {
        return log.read(sessionId, afterSeq, limit);
    }
}
