package dev.drydock.cli.bench;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.appliance.EmbeddedDatabase;
import dev.drydock.server.eventlog.EventCodec;
import dev.drydock.server.eventlog.PostgresEventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The session event log on a real PostgreSQL for {@code bench sessions --store postgres}: the
 * appliance's embedded PostgreSQL ({@link EmbeddedDatabase}, the same start-up as {@code ./drydock up})
 * on a scratch data directory, the server's Flyway migrations, and per append the server's own append
 * statement ({@link PostgresEventLog#APPEND}: next seq under the session row's lock, projection, event
 * as jsonb, {@code NOTIFY}) and a commit, publishing the event after the commit. What it leaves out: the
 * audit records that {@code SessionAuditor} adds to some appends in the same transaction, and the
 * Quarkus connection pool (a fixed set of connections here).
 */
final class BenchPostgresLog implements EventLog, AutoCloseable {
    private final EmbeddedDatabase db;
    private final Path dataDir;
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    private final EventCodec codec = new EventCodec();
    private final Clock clock = Clock.systemUTC();
    private final Consumer<Event> onCommit;
    private final ConcurrentLinkedQueue<Long> appendMicros = new ConcurrentLinkedQueue<>();

    private BenchPostgresLog(EmbeddedDatabase db, Path dataDir, int connections, Consumer<Event> onCommit)
            throws SQLException {
        this.db = db;
        this.dataDir = dataDir;
        this.onCommit = onCommit;
        this.pool = new ArrayBlockingQueue<>(connections);
        for (int i = 0; i < connections; i++) {
            Connection c = db.connect("drydock", db.owner(), db.credentials().owner());
            c.setAutoCommit(false);
            all.add(c);
            pool.add(c);
        }
    }

    /** Starts PostgreSQL in {@code home}, migrates it and opens {@code connections} connections. */
    static BenchPostgresLog start(Path home, int connections, Consumer<Event> onCommit) throws SQLException {
        String password = UUID.randomUUID().toString();
        Path dataDir = home.resolve("pgdata");
        EmbeddedDatabase db = EmbeddedDatabase.start(
                dataDir, 0, new EmbeddedDatabase.Credentials(password, password, password, password));
        try {
            Flyway.configure()
                    .dataSource(db.jdbcUrl("drydock"), db.owner(), password)
                    .locations("classpath:db/migration")
                    .placeholders(java.util.Map.of("app_role", EmbeddedDatabase.APP))
                    .load()
                    .migrate();
            return new BenchPostgresLog(db, dataDir, connections, onCommit);
        } catch (RuntimeException | SQLException e) {
            db.close();
            throw e;
        }
    }

    /** A scratch home for the database, removed by {@link #deleteTree}. */
    static Path scratch() throws IOException {
        return Files.createTempDirectory("drydock-bench-pg-");
    }

    /** The session rows the appends need, one per id. */
    void createSessions(List<String> ids) throws SQLException {
        Connection c = take();
        try (PreparedStatement ps = c.prepareStatement(
                "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?, 'bench', 'code', 'calc', 'bench', 'bench', now(), now())")) {
            for (String id : ids) {
                ps.setObject(1, UUID.fromString(id));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } finally {
            pool.add(c);
        }
    }

    /** {@link PostgresEventLog#APPEND} with JDBC's {@code ?} markers, and which ordinal each marker binds. */
    private static final String APPEND = PostgresEventLog.APPEND.replaceAll("\\?\\d+", "?");

    private static final int[] ORDINALS = java.util.regex.Pattern.compile("\\?(\\d+)")
            .matcher(PostgresEventLog.APPEND)
            .results()
            .mapToInt(m -> Integer.parseInt(m.group(1)))
            .toArray();

    @Override
    public Event append(String sessionId, Source source, @Nullable Long causedBy, Payload payload) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.fromString(sessionId);
        long start = System.nanoTime();
        Connection c = take();
        try {
            String status = payload instanceof Lifecycle.SessionStarted
                    ? "running"
                    : payload instanceof Lifecycle.SessionFinished ? "finished" : null;
            Telemetry.ModelUsage u = payload instanceof Telemetry.ModelUsage m ? m : null;
            Object[] values = {
                Timestamp.from(at),
                id,
                null,
                status,
                payload instanceof Lifecycle.SessionFinished f
                        ? f.outcome().name().toLowerCase(Locale.ROOT)
                        : null,
                u == null ? 0L : u.promptTokens(),
                u == null ? 0L : u.completionTokens(),
                u == null ? 0L : u.costMicros(),
                source.name(),
                causedBy,
                codec.typeName(payload),
                codec.encode(payload),
                PostgresEventLog.CHANNEL,
                sessionId
            };
            int[] types = {
                Types.TIMESTAMP,
                Types.OTHER,
                Types.BIGINT,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.BIGINT,
                Types.BIGINT,
                Types.BIGINT,
                Types.VARCHAR,
                Types.BIGINT,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.VARCHAR
            };
            long seq;
            try (PreparedStatement ps = c.prepareStatement(APPEND)) {
                for (int k = 0; k < ORDINALS.length; k++) {
                    int ordinal = ORDINALS[k] - 1;
                    if (values[ordinal] == null) {
                        ps.setNull(k + 1, types[ordinal]);
                    } else {
                        ps.setObject(k + 1, values[ordinal]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no session " + sessionId);
                    }
                    seq = rs.getLong(1);
                }
            }
            c.commit();
            appendMicros.add((System.nanoTime() - start) / 1000);
            Event event = new Event(sessionId, seq, at, source, causedBy, payload);
            onCommit.accept(event);
            return event;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the append failed either way
            }
            throw new IllegalStateException("cannot append to session " + sessionId + ": " + e.getMessage(), e);
        } finally {
            pool.add(c);
        }
    }

    @Override
    public List<Event> read(String sessionId, long afterSeq, int limit) {
        Connection c = take();
        try (PreparedStatement ps = c.prepareStatement(
                "select seq, at, source, caused_by, type, payload::text from session_event where session_id = ? and seq > ? order by seq limit ?")) {
            ps.setObject(1, UUID.fromString(sessionId));
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            List<Event> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long causedBy = rs.getLong(4);
                    out.add(new Event(
                            sessionId,
                            rs.getLong(1),
                            rs.getTimestamp(2).toInstant(),
                            Source.valueOf(rs.getString(3)),
                            rs.wasNull() ? null : causedBy,
                            codec.decode(rs.getString(5), rs.getString(6))));
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read session " + sessionId + ": " + e.getMessage(), e);
        } finally {
            pool.add(c);
        }
    }

    /** Microseconds per append transaction (waiting for a connection included), as measured by the appender. */
    List<Long> appendMicros() {
        return new ArrayList<>(appendMicros);
    }

    /**
     * CPU seconds (user + system) used so far by the PostgreSQL server: the postmaster and every
     * process it started (the backends of this benchmark's connections among them), from {@code /proc};
     * -1 where there is no {@code /proc}.
     */
    double databaseCpuSeconds() {
        try {
            Path pidFile = dataDir.resolve("postmaster.pid");
            long postmaster =
                    Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            double ticks = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .toList()) {
                    long[] stat = stat(p);
                    if (stat.length > 0 && (stat[0] == postmaster || stat[1] == postmaster)) {
                        ticks += stat[2] + stat[3];
                    }
                }
            }
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** pid, ppid, utime, stime of one process; empty when it is gone. */
    private static long[] stat(Path proc) {
        try {
            String s = Files.readString(proc.resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) … utime(11) stime(12)
            return new long[] {
                Long.parseLong(proc.getFileName().toString()),
                Long.parseLong(f[1]),
                Long.parseLong(f[11]),
                Long.parseLong(f[12])
            };
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    private Connection take() {
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a connection", e);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        db.close();
    }

    /** Removes a scratch home. */
    static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch folder under the temporary directory
        }
    }
}
