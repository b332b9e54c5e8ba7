package dev.drydock.server.eventlog;

import dev.drydock.server.agent.event.Event;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Brings events appended by other replicas to this replica's {@link EventBus}: every append sends
 * {@code NOTIFY drydock_events, '<session> <seq>'} in its transaction (PostgreSQL delivers it to
 * every listener when, and only if, it commits); this listens on one connection of its own and, for
 * each session someone here follows, reads the announced events from the log and publishes them.
 * Events this replica appended itself were published already and are skipped by seq. Streams read
 * the log by seq every {@code drydock.event-streams.poll-interval} anyway, so a notification lost
 * while this connection is down delays an event but never loses it. The only raw JDBC outside {@code
 * appliance}: a {@code LISTEN} needs a connection held open, which the EntityManager cannot give.
 */
@ApplicationScoped
public class EventNotifications {
    private static final Logger LOG = Logger.getLogger(EventNotifications.class);

    @Inject
    DataSource dataSource;

    @Inject
    PostgresEventLog log;

    @Inject
    EventBus bus;

    @Inject
    EventStreamConfig config;

    private volatile boolean stopped;
    private volatile @Nullable Thread listener;

    void onStart(@Observes StartupEvent start) {
        listener = Thread.ofVirtual().name("event-notifications").start(this::listen);
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopped = true;
        Thread t = listener;
        if (t != null) {
            t.interrupt();
        }
    }

    /** One warning per PostgreSQL outage, not one per attempt to listen again. */
    private final dev.drydock.server.problem.OutageLog outages =
            new dev.drydock.server.problem.OutageLog(LOG, "listening for events of other replicas");

    private void listen() {
        int timeout = (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, config.pollInterval().toMillis()));
        while (!stopped) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + PostgresEventLog.CHANNEL);
                }
                outages.succeeded();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] batch = pg.getNotifications(timeout);
                    if (batch != null && batch.length > 0) {
                        deliver(batch);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                if (!outages.failed(e)) {
                    LOG.warnf(
                            "listening for events of other replicas failed (%s); streams fall back to reading the log every %s",
                            e.getMessage(), config.pollInterval());
                }
                try {
                    // a pause before listening again, so that a database that is down is not asked in a loop
                    Thread.sleep(config.pollInterval());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Publishes the announced events of followed sessions that this replica has not delivered yet. */
    void deliver(PGNotification[] batch) {
        Map<String, long[]> range = new HashMap<>();
        for (PGNotification n : batch) {
            String[] parts = n.getParameter().split(" ", 2);
            if (parts.length != 2 || !bus.followed(parts[0])) {
                continue;
            }
            long seq;
            try {
                seq = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                continue;
            }
            range.merge(parts[0], new long[] {seq, seq}, (a, b) ->
                    new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        for (Map.Entry<String, long[]> r : range.entrySet()) {
            String session = r.getKey();
            long delivered = bus.delivered(session);
            if (r.getValue()[1] <= delivered) {
                continue;
            }
            long after = Math.max(delivered, r.getValue()[0] - 1);
            List<Event> events = log.read(session, after, (int) Math.min(10_000, r.getValue()[1] - after));
            events.forEach(bus::publish);
        }
    }
}
