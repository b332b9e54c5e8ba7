package dev.drydock.server.appliance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server run from the binaries shipped inside Maven jars (zonky), listening on
 * loopback only. The data folder survives restarts; the databases Drydock needs are created on first
 * start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    /** Databases created on first start: the server's and Keycloak's. */
    public static final List<String> DATABASES = List.of("drydock", "keycloak");

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code dataDir} (created and initialised when empty).
     *
     * @param port 0 for a free port
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir.getParent());
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(dataDir)
                            .setCleanDataDirectory(false)
                            .setServerConfig("listen_addresses", "127.0.0.1")
                            .setServerConfig("max_connections", "200")
                            .setPGStartupWait(java.time.Duration.ofSeconds(60))
                            .setOverrideWorkingDirectory(dataDir.getParent().resolve("pg-bin").toFile());
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedDatabase db = new EmbeddedDatabase(builder.start());
            db.createDatabases();
            LOG.infof("PostgreSQL started on 127.0.0.1:%d (data %s)", db.port(), dataDir);
            return db;
        } catch (IOException | RuntimeException e) {
            throw new ApplianceException(
                    "postgresql",
                    "embedded PostgreSQL did not start ("
                            + rootMessage(e)
                            + "). Check that "
                            + dataDir
                            + " is writable and not used by another 'drydock up', or set DRYDOCK_DB_URL to use an existing server.",
                    e);
        }
    }

    private void createDatabases() {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            for (String name : DATABASES) {
                try (PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                    exists.setString(1, name);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                try (Statement create = c.createStatement()) {
                    create.execute("create database " + name);
                }
            }
        } catch (SQLException e) {
            throw new ApplianceException("postgresql", "could not create Drydock's databases: " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of one of {@link #DATABASES}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The superuser the embedded cluster trusts on loopback. */
    public String user() {
        return "postgres";
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
