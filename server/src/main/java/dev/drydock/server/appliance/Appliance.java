package dev.drydock.server.appliance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The services {@code ./drydock up} runs beside the server on one machine: PostgreSQL and Keycloak,
 * each embedded unless an external one is configured. Starting returns the Quarkus settings that
 * point the server at them; closing stops everything that was started.
 */
final class Appliance implements AutoCloseable {
    static final String ADMIN_USER = "admin";

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, String> serverSettings = new LinkedHashMap<>();
    private final List<String> summary = new ArrayList<>();
    private Optional<String> firstAdminPassword = Optional.empty();
    private @Nullable FileLock lock;

    private Appliance() {}

    /**
     * Starts what the configuration asks for, in order, reporting progress.
     *
     * @param httpPort the port the server will listen on (checked free before anything starts)
     * @param external settings the operator gave for an external database or Keycloak
     */
    static Appliance start(ApplianceConfig config, int httpPort, ExternalServices external, Console console) {
        Appliance appliance = new Appliance();
        try {
            appliance.startAll(config, httpPort, external, console);
            return appliance;
        } catch (RuntimeException e) {
            appliance.close();
            throw e;
        }
    }

    /** Where the operator pointed Drydock at services it does not start itself. */
    record ExternalServices(
            Optional<String> dbUrl, Optional<String> dbUser, Optional<String> dbPassword, Optional<String> oidcUrl) {}

    private void startAll(ApplianceConfig config, int httpPort, ExternalServices external, Console console) {
        Path home = Path.of(config.home()).toAbsolutePath().normalize();
        console.line("Drydock appliance in " + home);
        lockHome(home);
        for (String leftover :
                Leftovers.stop(home.resolve("postgres"), home.resolve("keycloak"), Duration.ofSeconds(20))) {
            console.line("  stopped " + leftover + ", left running by an earlier run that did not shut down");
        }
        requireFreePort("http", httpPort, "choose another with './drydock up --port N' or DRYDOCK_PORT");

        String portalUrl = "http://localhost:" + httpPort;
        Secrets secrets = Secrets.load(home.resolve("secrets.properties"));

        // PostgreSQL
        String keycloakDbUrl = "";
        String keycloakDbUser = "";
        String keycloakDbPassword = "";
        String dbUser;
        String dbPassword;
        if (config.embeddedDatabase()) {
            long t0 = System.nanoTime();
            console.line("  postgresql: starting embedded server…");
            EmbeddedDatabase.Credentials credentials = EmbeddedDatabase.Credentials.from(secrets);
            EmbeddedDatabase db = EmbeddedDatabase.start(home.resolve("postgres"), config.databasePort(), credentials);
            started.add(db);
            serverSettings.put("quarkus.datasource.jdbc.url", db.jdbcUrl("drydock"));
            // The server connects as a role that owns nothing; migrations run as the owner.
            dbUser = db.user();
            dbPassword = credentials.app();
            serverSettings.put("quarkus.flyway.username", db.owner());
            serverSettings.put("quarkus.flyway.password", credentials.owner());
            keycloakDbUrl = db.jdbcUrl("keycloak");
            keycloakDbUser = EmbeddedDatabase.KEYCLOAK;
            keycloakDbPassword = credentials.keycloak();
            console.line("  postgresql: ready on 127.0.0.1:" + db.port() + " (" + millis(t0) + " ms)");
            summary.add(
                    "PostgreSQL   127.0.0.1:" + db.port() + "  (embedded, data in " + home.resolve("postgres") + ")");
        } else {
            String url = external.dbUrl()
                    .orElseThrow(() -> new ApplianceException("postgresql", "DRYDOCK_DB_URL is not set"));
            dbUser = external.dbUser().orElse("drydock");
            dbPassword = external.dbPassword().orElse("");
            checkDatabase(url, dbUser, dbPassword);
            serverSettings.put("quarkus.datasource.jdbc.url", url);
            console.line("  postgresql: using " + url);
            summary.add("PostgreSQL   " + url + "  (external)");
        }
        recordDatabase(
                home,
                serverSettings.get("quarkus.datasource.jdbc.url"),
                dbUser,
                config.embeddedDatabase() ? "db.app-password" : null);
        serverSettings.put("quarkus.datasource.username", dbUser);
        serverSettings.put("quarkus.datasource.password", dbPassword);

        // Keycloak
        if (config.embeddedKeycloak() && external.oidcUrl().isEmpty()) {
            requireFreePort("keycloak", config.keycloakPort(), "set another with DRYDOCK_KEYCLOAK_PORT");
            int managementPort = freePort();
            boolean firstStart = !secrets.has("realm.imported");
            String realmJson = "";
            String adminPassword = null;
            if (firstStart) {
                adminPassword = Secrets.generate().substring(0, 20);
                realmJson = RealmTemplate.shipped(
                                portalUrl,
                                secrets.getOrCreate("portal.client-secret"),
                                secrets.getOrCreate("automation.client-secret"),
                                secrets.getOrCreate(Secrets.SERVER_CLIENT_SECRET))
                        .withUser(new RealmTemplate.InitialUser(
                                ADMIN_USER,
                                adminPassword,
                                "Drydock",
                                "Administrator",
                                "admin@drydock.local",
                                List.of("/drydock-admins", "/workspaces/demo/admins")))
                        .toJson();
            }
            String zip = config.keycloakDistZip()
                    .orElseThrow(() -> new ApplianceException(
                            "keycloak",
                            "no Keycloak distribution given; run through './drydock up', which fetches it"));
            Path install = home.resolve("keycloak");
            long t0 = System.nanoTime();
            console.line("  keycloak: starting on 127.0.0.1:" + config.keycloakPort()
                    + (firstStart
                            ? " (first start: installing and importing the drydock realm, about a minute)…"
                            : "…"));
            KeycloakProcess kc = KeycloakProcess.start(
                    new KeycloakProcess.Setup(
                            Path.of(zip),
                            install,
                            config.keycloakPort(),
                            managementPort,
                            keycloakDbUrl,
                            keycloakDbUser,
                            keycloakDbPassword,
                            realmJson,
                            secrets.getOrCreate("keycloak.bootstrap-admin-password"),
                            config.keycloakStartTimeout(),
                            home.resolve("logs/keycloak.log")),
                    console::line);
            started.add(kc);
            if (firstStart) {
                KeycloakProcess.forgetRealmImport(install);
                secrets.put("realm.imported", "true");
                firstAdminPassword = Optional.of(Objects.requireNonNull(adminPassword)); // set above on a first start
            }
            console.line("  keycloak: ready (" + millis(t0) + " ms)");
            serverSettings.put("quarkus.oidc.auth-server-url", kc.realmUrl());
            serverSettings.put("quarkus.oidc.portal.credentials.secret", secrets.getOrCreate("portal.client-secret"));
            serverSettings.put("drydock.identity.client-secret", secrets.getOrCreate(Secrets.SERVER_CLIENT_SECRET));
            summary.add("Keycloak     " + kc.baseUrl() + "/admin  (embedded; master admin 'admin', password in "
                    + home.resolve("secrets.properties") + ")");
        } else {
            String url = external.oidcUrl()
                    .orElseThrow(() -> new ApplianceException("keycloak", "DRYDOCK_OIDC_URL is not set"));
            serverSettings.put("quarkus.oidc.auth-server-url", url);
            summary.add("Keycloak     " + url + "  (external)");
        }
        summary.add(0, "Portal       " + portalUrl + "/portal");
        summary.add(1, "API          " + portalUrl + "/api  (OpenAPI at /q/openapi, health at /q/health)");
    }

    Map<String, String> serverSettings() {
        return serverSettings;
    }

    List<String> summary() {
        return summary;
    }

    Optional<String> firstAdminPassword() {
        return firstAdminPassword;
    }

    private void lockHome(Path home) {
        try {
            Files.createDirectories(home.resolve("run"));
            FileChannel channel = FileChannel.open(
                    home.resolve("run/appliance.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new ApplianceException(
                        "home",
                        "another './drydock up' is already running with " + home
                                + "; stop it first or set DRYDOCK_HOME to another folder");
            }
            started.add(channel);
        } catch (IOException e) {
            throw new ApplianceException("home", "cannot use " + home + ": " + e.getMessage(), e);
        }
    }

    /** Lets CLI commands on this machine ({@code ./drydock audit verify}) find the running database. */
    private static void recordDatabase(Path home, String url, String user, @Nullable String passwordSecret) {
        Properties p = new Properties();
        p.setProperty("url", url);
        p.setProperty("user", user);
        if (passwordSecret != null) {
            p.setProperty("password-secret", passwordSecret);
        }
        try (var out = Files.newBufferedWriter(home.resolve("run/database.properties"))) {
            p.store(
                    out,
                    "The database of the running './drydock up' (no password here; password-secret names its key in secrets.properties)");
        } catch (IOException e) {
            throw new ApplianceException(
                    "home", "cannot write " + home.resolve("run/database.properties") + ": " + e.getMessage(), e);
        }
    }

    static void requireFreePort(String component, int port, String fix) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
        } catch (IOException e) {
            throw new ApplianceException(component, "port " + port + " is already in use; " + fix);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ApplianceException("network", "no free local port: " + e.getMessage(), e);
        }
    }

    static void checkDatabase(String url, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "5");
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new ApplianceException(
                    "postgresql",
                    "database unreachable at " + url + " (" + e.getMessage()
                            + "). Check DRYDOCK_DB_URL, DRYDOCK_DB_USER and DRYDOCK_DB_PASSWORD, or unset DRYDOCK_DB_URL to use the embedded database.",
                    e);
        }
    }

    private static long millis(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }

    /** Stops what was started, newest first. Safe to call more than once and from several threads. */
    @Override
    public synchronized void close() {
        List<AutoCloseable> toStop = new ArrayList<>(started);
        started.clear();
        for (int i = toStop.size() - 1; i >= 0; i--) {
            try {
                toStop.get(i).close();
            } catch (Exception e) {
                Console.error("drydock: could not stop a component cleanly: " + e.getMessage());
            }
        }
    }
}
