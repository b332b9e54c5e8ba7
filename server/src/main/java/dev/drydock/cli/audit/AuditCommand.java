package dev.drydock.cli.audit;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.RemoteServer;
import dev.drydock.server.audit.AuditJson;
import dev.drydock.server.audit.AuditRecord;
import dev.drydock.server.audit.AuditVerification;
import dev.drydock.server.audit.CheckpointKey;
import dev.drydock.server.audit.CheckpointLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock audit verify|export}: check and export the hash-chained audit log straight from PostgreSQL. */
@Command(
        name = "audit",
        description = "Verify or export the audit log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliExit.USAGE;
    }

    /** Where the database is: flags, then DRYDOCK_DB_URL, then the running appliance's record. */
    static final class Database {
        @Option(
                names = "--db-url",
                description =
                        "JDBC URL of Drydock's database (default: DRYDOCK_DB_URL, else the one './drydock up' is using)")
        String url;

        @Option(names = "--db-user", description = "Database user (default: DRYDOCK_DB_USER, else the appliance's)")
        String user;

        @Option(
                names = "--db-password-env",
                description = "Name of the environment variable holding the password (default: DRYDOCK_DB_PASSWORD)")
        String passwordEnv = "DRYDOCK_DB_PASSWORD";

        @Option(
                names = "--db-password-file",
                description = "File holding the password (instead of an environment variable)")
        Path passwordFile;

        Connection connect() {
            String jdbc = url != null ? url : System.getenv("DRYDOCK_DB_URL");
            String login = user != null ? user : System.getenv("DRYDOCK_DB_USER");
            String password = System.getenv(passwordEnv);
            if (passwordFile != null) {
                try {
                    password = Files.readString(passwordFile, StandardCharsets.UTF_8)
                            .strip();
                } catch (IOException e) {
                    throw new CliException(
                            "cannot read --db-password-file " + passwordFile + ": " + e.getMessage(), CliExit.USAGE);
                }
            }
            if (jdbc == null) {
                Path home = Path.of(System.getenv().getOrDefault("DRYDOCK_HOME", ".drydock"));
                Path file = home.resolve("run").resolve("database.properties");
                if (!Files.exists(file)) {
                    throw new CliException(
                            "no database given: use --db-url, set DRYDOCK_DB_URL, or start the appliance with './drydock up'",
                            CliExit.USAGE);
                }
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new CliException("cannot read " + file + ": " + e.getMessage());
                }
                jdbc = p.getProperty("url");
                if (login == null && password == null && p.getProperty("password-secret") != null) {
                    // The embedded database: its role's password is in the appliance's secrets file.
                    login = p.getProperty("user");
                    password = secret(home.resolve("secrets.properties"), p.getProperty("password-secret"));
                }
                login = login != null ? login : p.getProperty("user");
            }
            Properties props = new Properties();
            props.setProperty("user", login == null ? "drydock" : login);
            props.setProperty("password", password == null ? "" : password);
            props.setProperty("connectTimeout", "5");
            try {
                return DriverManager.getConnection(jdbc, props);
            } catch (SQLException e) {
                throw new CliException("database unreachable at " + jdbc + ": " + e.getMessage(), CliExit.UNAVAILABLE);
            }
        }
    }

    private static String secret(Path file, String key) {
        Properties secrets = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            secrets.load(in);
        } catch (IOException e) {
            throw new CliException(
                    "cannot read the database password from " + file + " (" + e.getMessage()
                            + "); set DRYDOCK_DB_PASSWORD",
                    CliExit.USAGE);
        }
        return secrets.getProperty(key, "");
    }

    @Command(name = "verify", description = "Recompute the hash chain and report the first broken link.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        Database database;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--server",
                description =
                        "Verify a copy exported by this Drydock server (after './drydock login --server URL') instead of reading the database")
        String server;

        @Option(
                names = "--checkpoints",
                description =
                        "The server's signed checkpoints (default: $DRYDOCK_HOME/audit/checkpoints.jsonl when verifying the local database)")
        Path checkpoints;

        @Option(
                names = "--public-key",
                description = "The checkpoint public key (default: checkpoint-key.pub beside the checkpoints file)")
        Path publicKey;

        @Override
        public Integer call() throws SQLException, IOException {
            PrintWriter out = spec.commandLine().getOut();
            CheckpointLog log = checkpointLog();
            AuditVerification.Result r;
            if (server != null) {
                try (Exported records = Exported.from(server)) {
                    r = AuditVerification.verify(records, log);
                }
            } else {
                try (Connection c = database.connect();
                        Records records = new Records(c, null)) {
                    r = AuditVerification.verify(records, log);
                }
            }
            for (String warning : r.warnings()) {
                out.println("warning: " + warning);
            }
            if (r.intact()) {
                out.println("audit chain intact: " + r.checked() + " records, head " + r.headHash()
                        + (server == null ? "" : " (exported by " + server + ", verified here)")
                        + r.checkpoint()
                                .map(c -> "; matches the signed checkpoint of " + c.time() + " at record " + c.seq()
                                        + " (key " + c.key() + ")")
                                .orElse(""));
                return CliExit.OK;
            }
            out.println("audit chain BROKEN at record " + r.brokenAt().orElseThrow() + ": "
                    + r.reason().orElseThrow());
            return CliExit.FAILED;
        }

        private CheckpointLog checkpointLog() {
            Path file = checkpoints;
            if (file == null) {
                if (server != null) {
                    return CheckpointLog.none(
                            "not checked against signed checkpoints: give --checkpoints with a copy of the server's checkpoints.jsonl");
                }
                file = Path.of(
                        System.getenv().getOrDefault("DRYDOCK_HOME", ".drydock"), "audit", CheckpointLog.FILE_NAME);
            }
            Path key = publicKey != null
                    ? publicKey
                    : CheckpointKey.publicFile(file.toAbsolutePath().resolveSibling("checkpoint-key"));
            if (!Files.exists(key)) {
                if (checkpoints != null || publicKey != null || Files.exists(file)) {
                    throw new CliException("no checkpoint public key at " + key + ": give --public-key", CliExit.USAGE);
                }
                return CheckpointLog.none("no signed checkpoints at " + file
                        + ": truncation and rehashing of the newest records cannot be detected");
            }
            try {
                return CheckpointLog.read(file, CheckpointKey.verifier(key));
            } catch (IllegalStateException | java.io.UncheckedIOException e) {
                throw new CliException(e.getMessage(), CliExit.DATA);
            }
        }
    }

    @Command(name = "export", description = "Print audit records as JSON lines (for SIEM ingestion).")
    static final class Export implements Callable<Integer> {
        @Mixin
        Database database;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--since",
                description = "Only records at or after this instant (ISO-8601, e.g. 2026-11-25T00:00:00Z)")
        String since;

        @Option(names = "--format", defaultValue = "jsonl", description = "Output format; only jsonl")
        String format;

        @Option(
                names = "--server",
                description =
                        "Export through this Drydock server's API (after './drydock login --server URL') instead of reading the database")
        String server;

        @Override
        public Integer call() throws SQLException, IOException {
            if (!format.equals("jsonl")) {
                throw new CliException("unknown --format '" + format + "' (supported: jsonl)", CliExit.USAGE);
            }
            Instant from;
            try {
                from = since == null ? Instant.EPOCH : Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new CliException(
                        "--since must be an ISO-8601 instant such as 2026-11-25T00:00:00Z, not '" + since + "'",
                        CliExit.USAGE);
            }
            PrintWriter out = spec.commandLine().getOut();
            long count = 0;
            try (Connection c = server == null ? database.connect() : null;
                    Iterator<AuditRecord> records =
                            server == null ? new Records(Objects.requireNonNull(c), null) : Exported.from(server)) {
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

    /** Records and closing, whichever their source. */
    interface Iterator<T> extends java.util.Iterator<T>, AutoCloseable {
        @Override
        void close() throws SQLException, IOException;
    }

    /** Records exported by a remote server's {@code /api/admin/audit/export}, parsed as they stream in. */
    static final class Exported implements Iterator<AuditRecord> {
        private final BufferedReader lines;
        private final String server;
        private @Nullable String next;
        private long lineNo;

        private Exported(BufferedReader lines, String server) {
            this.lines = lines;
            this.server = server;
        }

        static Exported from(String server) {
            RemoteServer remote = RemoteServer.signedIn(server);
            return new Exported(
                    new BufferedReader(
                            new InputStreamReader(remote.get("/api/admin/audit/export"), StandardCharsets.UTF_8)),
                    server);
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    do {
                        next = lines.readLine();
                        lineNo++;
                    } while (next != null && next.isBlank());
                } catch (IOException e) {
                    throw new CliException(
                            "reading the export from " + server + " failed: " + e.getMessage(), CliExit.UNAVAILABLE);
                }
            }
            return next != null;
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = Objects.requireNonNull(next); // hasNext() read it
            next = null;
            try {
                return AuditJson.parse(line);
            } catch (IllegalArgumentException e) {
                throw new CliException(
                        "line " + lineNo + " of the export from " + server + " is not an audit record: "
                                + e.getMessage(),
                        CliExit.DATA);
            }
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** Streams records in sequence order with a server-side cursor. */
    static final class Records implements Iterator<AuditRecord> {
        private final PreparedStatement statement;
        private final ResultSet rows;
        private @Nullable Boolean ready;

        Records(Connection c, @Nullable String workspace) throws SQLException {
            c.setAutoCommit(false);
            statement = c.prepareStatement(
                    "select seq, recorded_at, actor, workspace, session_id, action, target, details, prev_hash, hash from audit_record order by seq");
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
                return new AuditRecord(
                        rows.getLong(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getString(6),
                        rows.getString(7),
                        rows.getString(8),
                        rows.getString(9),
                        rows.getString(10));
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
