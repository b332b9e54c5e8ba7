package dev.drydock.cli.audit;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.server.audit.AuditJson;
import dev.drydock.server.audit.AuditRecord;
import dev.drydock.server.audit.AuditVerification;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./drydock audit verify|export}: check and export the hash-chained audit log straight from PostgreSQL. */
@Command(name = "audit", description = "Verify or export the audit log.", subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliExit.USAGE;
    }

    /** Where the database is: flags, then DRYDOCK_DB_URL, then the running appliance's record. */
    static final class Database {
        @Option(names = "--db-url", description = "JDBC URL of Drydock's database (default: DRYDOCK_DB_URL, else the one './drydock up' is using)")
        String url;

        @Option(names = "--db-user", description = "Database user (default: DRYDOCK_DB_USER, else the appliance's)")
        String user;

        @Option(names = "--db-password-env", description = "Name of the environment variable holding the password (default: DRYDOCK_DB_PASSWORD)")
        String passwordEnv = "DRYDOCK_DB_PASSWORD";

        Connection connect() {
            String jdbc = url != null ? url : System.getenv("DRYDOCK_DB_URL");
            String login = user != null ? user : System.getenv("DRYDOCK_DB_USER");
            if (jdbc == null) {
                Path file = Path.of(System.getenv().getOrDefault("DRYDOCK_HOME", ".drydock"), "run", "database.properties");
                if (!Files.exists(file)) {
                    throw new CliException("no database given: use --db-url, set DRYDOCK_DB_URL, or start the appliance with './drydock up'", CliExit.USAGE);
                }
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new CliException("cannot read " + file + ": " + e.getMessage());
                }
                jdbc = p.getProperty("url");
                login = login != null ? login : p.getProperty("user");
            }
            Properties props = new Properties();
            props.setProperty("user", login == null ? "drydock" : login);
            props.setProperty("password", System.getenv().getOrDefault(passwordEnv, ""));
            props.setProperty("connectTimeout", "5");
            try {
                return DriverManager.getConnection(jdbc, props);
            } catch (SQLException e) {
                throw new CliException("database unreachable at " + jdbc + ": " + e.getMessage(), CliExit.UNAVAILABLE);
            }
        }
    }

    @Command(name = "verify", description = "Recompute the hash chain and report the first broken link.")
    static final class Verify implements Callable<Integer> {
        @Mixin Database database;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            try (Connection c = database.connect(); Records records = new Records(c, null)) {
                AuditVerification.Result r = AuditVerification.verify(records);
                if (r.intact()) {
                    out.println("audit chain intact: " + r.checked() + " records, head " + r.headHash());
                    return CliExit.OK;
                }
                out.println("audit chain BROKEN at record " + r.brokenAt().orElseThrow() + ": " + r.reason().orElseThrow());
                return CliExit.FAILED;
            }
        }
    }

    @Command(name = "export", description = "Print audit records as JSON lines (for SIEM ingestion).")
    static final class Export implements Callable<Integer> {
        @Mixin Database database;
        @Spec CommandSpec spec;

        @Option(names = "--since", description = "Only records at or after this instant (ISO-8601, e.g. 2026-11-25T00:00:00Z)")
        String since;

        @Option(names = "--format", defaultValue = "jsonl", description = "Output format; only jsonl")
        String format;

        @Override
        public Integer call() throws SQLException {
            if (!format.equals("jsonl")) {
                throw new CliException("unknown --format '" + format + "' (supported: jsonl)", CliExit.USAGE);
            }
            Instant from;
            try {
                from = since == null ? Instant.EPOCH : Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new CliException("--since must be an ISO-8601 instant such as 2026-11-25T00:00:00Z, not '" + since + "'", CliExit.USAGE);
            }
            PrintWriter out = spec.commandLine().getOut();
            long count = 0;
            try (Connection c = database.connect(); Records records = new Records(c, null)) {
                while (records.hasNext()) {
                    AuditRecord r = records.next();
                    if (!Instant.parse(r.recordedAt()).isBefore(from)) {
                        out.println(AuditJson.line(r));
                        count++;
                    }
                }
            }
            out.flush();
            spec.commandLine().getErr().println("exported " + count + " records");
            return CliExit.OK;
        }
    }

    /** Streams records in sequence order with a server-side cursor. */
    static final class Records implements Iterator<AuditRecord>, AutoCloseable {
        private final PreparedStatement statement;
        private final ResultSet rows;
        private Boolean ready;

        Records(Connection c, String workspace) throws SQLException {
            c.setAutoCommit(false);
            statement = c.prepareStatement("select seq, recorded_at, actor, workspace, session_id, action, target, details, prev_hash, hash from audit_record order by seq");
            statement.setFetchSize(1000);
            try {
                rows = statement.executeQuery();
            } catch (SQLException e) {
                throw new CliException("cannot read the audit log: " + e.getMessage(), CliExit.DATA);
            }
        }

        @Override
        public boolean hasNext() {
            if (ready == null) {
                try {
                    ready = rows.next();
                } catch (SQLException e) {
                    throw new CliException("reading the audit log failed: " + e.getMessage(), CliExit.DATA);
                }
            }
            return ready;
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = null;
            try {
                return new AuditRecord(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                        rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9), rows.getString(10));
            } catch (SQLException e) {
                throw new CliException("reading the audit log failed: " + e.getMessage(), CliExit.DATA);
            }
        }

        @Override
        public void close() throws SQLException {
            rows.close();
            statement.close();
        }
    }
}
