package dev.drydock.server.appliance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server run from the binaries shipped inside Maven jars (zonky), listening on
 * loopback only. Every connection needs a scram-sha-256 password (from the appliance's secrets file);
 * nothing is trusted, not even the local socket. Roles: the superuser {@value #SUPERUSER} (used only
 * here, to create what follows), {@value #OWNER} that owns Drydock's database and runs the migrations,
 * {@value #APP} that the server connects as (no superuser, owns nothing: it cannot disable the audit
 * log's triggers), and {@value #KEYCLOAK} that owns Keycloak's database. The data folder survives
 * restarts; roles, databases and passwords are brought up to date at each start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    /** Databases created on first start: the server's and Keycloak's. */
    public static final List<String> DATABASES = List.of("drydock", "keycloak");

    public static final String SUPERUSER = "postgres";
    public static final String OWNER = "drydock_owner";
    public static final String APP = "drydock_app";
    public static final String KEYCLOAK = "keycloak";

    /** Marks a data folder whose pg_hba.conf Drydock has switched to passwords. */
    static final String PASSWORDS_MARKER = "drydock-passwords";

    static final String PG_HBA = """
            # Written by Drydock at each start: every connection needs a scram-sha-256 password.
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;

    /** The passwords of the cluster's roles. */
    public record Credentials(String superuser, String owner, String app, String keycloak) {
        /** The passwords kept in the appliance's secrets file (generated on first use). */
        public static Credentials from(Secrets secrets) {
            return new Credentials(
                    secrets.getOrCreate("db.superuser-password"),
                    secrets.getOrCreate("db.owner-password"),
                    secrets.getOrCreate("db.app-password"),
                    secrets.getOrCreate("db.keycloak-password"));
        }

        @Override
        public String toString() {
            return "Credentials[hidden]";
        }
    }

    private final EmbeddedPostgres postgres;
    private final Credentials credentials;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Credentials credentials) {
        this.postgres = postgres;
        this.credentials = credentials;
    }

    /**
     * Starts PostgreSQL on {@code dataDir} (created and initialised when empty).
     *
     * <p>zonky runs {@code initdb -A trust -U postgres} and then checks start-up by connecting as
     * {@code postgres}. Its locale settings are passed to initdb as {@code --key=value} after those
     * flags, so a new cluster gets {@code --auth-host/--auth-local=scram-sha-256} and {@code --pwfile}
     * (the superuser's password) and is never trusting; the start-up check gets the password through
     * zonky's connect settings. A cluster made by an older Drydock (trust) starts once as it is, gets
     * its passwords, and is switched to scram with a configuration reload before anything else runs.
     *
     * @param port 0 for a free port
     */
    public static EmbeddedDatabase start(Path dataDir, int port, Credentials credentials) {
        Path pwfile = null;
        try {
            Files.createDirectories(dataDir.getParent());
            boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
            boolean secured = Files.exists(dataDir.resolve(PASSWORDS_MARKER));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // Stopped by its owner (the appliance after the server, or the tests), not by zonky's own shutdown
                    // hook.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", credentials.superuser())
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .setOverrideWorkingDirectory(
                            dataDir.resolveSibling("pg-bin").toFile());
            if (fresh) {
                pwfile = dataDir.resolveSibling(".pg-superuser-password");
                Files.deleteIfExists(pwfile);
                Files.createFile(
                        pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(pwfile, credentials.superuser() + "\n", StandardCharsets.UTF_8);
                builder.setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("pwfile", pwfile.toString());
            }
            if (fresh || secured) {
                builder.setDataDirectoryCustomizer(dir -> writePasswordsOnly(dir.toPath()));
            }
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedDatabase db = new EmbeddedDatabase(builder.start(), credentials);
            db.provision(fresh || secured);
            LOG.infof("PostgreSQL started on 127.0.0.1:%d (data %s)", db.port(), dataDir);
            return db;
        } catch (IOException | RuntimeException e) {
            throw new ApplianceException(
                    "postgresql",
                    "embedded PostgreSQL did not start ("
                            + rootMessage(e)
                            + "). Check that "
                            + dataDir
                            + " is writable and not used by another 'drydock up', and that the db.* passwords in the secrets file are the ones the cluster was made with, or set DRYDOCK_DB_URL to use an existing server.",
                    e);
        } finally {
            if (pwfile != null) {
                try {
                    Files.deleteIfExists(pwfile);
                } catch (IOException e) {
                    LOG.warnf("could not remove %s: %s", pwfile, e.getMessage());
                }
            }
        }
    }

    private static void writePasswordsOnly(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            Files.writeString(
                    dataDir.resolve(PASSWORDS_MARKER),
                    "pg_hba.conf requires scram-sha-256 passwords\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Roles, passwords, databases and their owners; switches an older trusting cluster to passwords. */
    private void provision(boolean alreadyPasswordsOnly) {
        Credentials p = credentials;
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("alter role " + SUPERUSER + " with password " + literal(p.superuser()));
            role(c, OWNER, p.owner());
            role(c, APP, p.app());
            role(c, KEYCLOAK, p.keycloak());
            database(c, "drydock", OWNER);
            database(c, "keycloak", KEYCLOAK);
            s.execute("revoke all on database drydock from public");
            s.execute("grant connect, temporary on database drydock to " + OWNER + ", " + APP);
            s.execute("revoke all on database keycloak from public");
            s.execute("grant connect, temporary on database keycloak to " + KEYCLOAK);
            if (!alreadyPasswordsOnly) {
                writePasswordsOnly(Path.of(dataDirectory(s)));
                s.execute("select pg_reload_conf()");
                LOG.info("PostgreSQL: switched the cluster from trust to scram-sha-256 passwords");
            }
        } catch (SQLException e) {
            throw new ApplianceException(
                    "postgresql", "could not set up Drydock's roles and databases: " + e.getMessage(), e);
        }
        adopt("drydock", OWNER);
        adopt("keycloak", KEYCLOAK);
    }

    private static String dataDirectory(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("show data_directory")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void role(Connection c, String name, String password) throws SQLException {
        boolean exists;
        try (PreparedStatement q = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute((exists ? "alter" : "create") + " role " + name
                    + " with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password "
                    + literal(password));
        }
    }

    private static void database(Connection c, String name, String owner) throws SQLException {
        boolean exists;
        try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(
                    exists
                            ? "alter database " + name + " owner to " + owner
                            : "create database " + name + " owner " + owner);
        }
    }

    /**
     * Gives {@code owner} the public schema of {@code database} and every object the superuser made
     * there (a cluster from an older Drydock, where the server connected as the superuser).
     */
    private void adopt(String database, String owner) {
        try (Connection c = superuser(database);
                Statement s = c.createStatement()) {
            s.execute("alter schema public owner to " + owner);
            s.execute("revoke all on schema public from public");
            if (database.equals("drydock")) {
                s.execute("grant usage on schema public to " + APP);
            }
            s.execute("""
                    do $$
                    declare r record;
                    begin
                      for r in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                               where n.nspname = 'public' and pg_get_userbyid(c.relowner) = '%1$s' and c.relkind in ('r', 'p', 'v', 'm', 'S')
                               and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
                      loop
                        execute format('alter %%s public.%%I owner to %2$s',
                            case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end, r.relname);
                      end loop;
                      for r in select p.oid::regprocedure as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                               where n.nspname = 'public' and pg_get_userbyid(p.proowner) = '%1$s'
                      loop
                        execute format('alter function %%s owner to %2$s', r.sig);
                      end loop;
                    end $$
                    """.formatted(SUPERUSER, owner));
        } catch (SQLException e) {
            throw new ApplianceException(
                    "postgresql", "could not give database " + database + " to " + owner + ": " + e.getMessage(), e);
        }
    }

    private Connection superuser(String database) throws SQLException {
        return connect(database, SUPERUSER, credentials.superuser());
    }

    /** A connection to one of {@link #DATABASES} as {@code user} with {@code password}. */
    public Connection connect(String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of one of {@link #DATABASES}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The role the server connects as: no superuser, owns nothing. */
    public String user() {
        return APP;
    }

    /** The role that owns Drydock's tables and runs the migrations. */
    public String owner() {
        return OWNER;
    }

    /** The passwords the cluster was started with. */
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
