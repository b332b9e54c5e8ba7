package dev.drydock.server.testing;

import dev.drydock.server.appliance.EmbeddedDatabase;
import dev.drydock.server.appliance.KeycloakProcess;
import dev.drydock.server.appliance.RealmTemplate;
import dev.drydock.server.appliance.RealmTemplate.InitialUser;
import dev.drydock.server.appliance.Secrets;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL and a real Keycloak, started once per test JVM through the same classes {@code
 * ./drydock up} uses, and shared by every Quarkus test (whatever its profile). Stopped when the JVM
 * exits.
 */
public final class RealServices implements QuarkusTestResourceLifecycleManager {
    /** Users of the test realm; each password is {@link #password(String)}. */
    public static final List<InitialUser> USERS = List.of(
            user("alice", "Alice", "Admin", "/drydock-admins"),
            user("wanda", "Wanda", "Workspace", "/workspaces/demo/admins"),
            user("mike", "Mike", "Member", "/workspaces/demo/members"),
            user("vera", "Vera", "Viewer", "/workspaces/demo/viewers"),
            user("otto", "Otto", "Other", "/workspaces/other/admins"),
            user("bruno", "Bruno", "Bystander", "/workspaces/other/members"),
            user("remy", "Remy", "Removed", "/workspaces/demo/members"),
            user("kira", "Kira", "Keyholder", "/workspaces/demo/members"));

    /** The secret of the test realm's {@code drydock-server} client. */
    public static final String SERVER_SECRET = "test-server-secret-0123456789abcdef0123456789";

    /** The public client of the test realm that may use the password grant. */
    public static final String TEST_CLIENT = "drydock-test";

    /** Like {@link #TEST_CLIENT}, but its access tokens expire after {@link #SHORT_LIFESPAN}. */
    public static final String SHORT_CLIENT = "drydock-test-short";

    public static final Duration SHORT_LIFESPAN = Duration.ofSeconds(4);

    private static Started started;

    /**
     * What was started: the config Quarkus needs and where things live. The audit checkpoints live
     * beside this JVM's database: checkpoints of another database would not match its chain.
     */
    public record Started(
            EmbeddedDatabase db, KeycloakProcess keycloak, int httpPort, String portalSecret, Path auditDir) {
        /** As {@code ./drydock up} does: the server connects as the application role, Flyway as the owner. */
        public Map<String, String> config() {
            return Map.of(
                    "quarkus.datasource.jdbc.url", db.jdbcUrl("drydock"),
                    "quarkus.datasource.username", db.user(),
                    "quarkus.datasource.password", db.credentials().app(),
                    "quarkus.flyway.username", db.owner(),
                    "quarkus.flyway.password", db.credentials().owner(),
                    "quarkus.oidc.auth-server-url", keycloak.realmUrl(),
                    "quarkus.oidc.portal.credentials.secret", portalSecret,
                    "drydock.identity.client-secret", SERVER_SECRET,
                    "quarkus.http.test-port", Integer.toString(httpPort),
                    "drydock.audit.checkpoint-dir", auditDir.toString());
        }

        /** A connection to Drydock's database as the role that owns its tables (what an insider with the migration password has). */
        public Connection ownerConnection() throws SQLException {
            return db.connect("drydock", db.owner(), db.credentials().owner());
        }

        /** A connection to Drydock's database as the application role the server uses. */
        public Connection appConnection() throws SQLException {
            return db.connect("drydock", db.user(), db.credentials().app());
        }
    }

    /** Starts the services on first call; later calls return the same ones. */
    public static synchronized Started get() {
        if (started == null) {
            started = startServices();
            Started s = started;
            Runtime.getRuntime()
                    .addShutdownHook(
                            Thread.ofPlatform().name("real-services-stop").unstarted(() -> {
                                s.keycloak().close();
                                s.db().close();
                            }));
        }
        return started;
    }

    @Override
    public Map<String, String> start() {
        return get().config();
    }

    @Override
    public void stop() {
        // Shared across test classes and profiles; stopped by the JVM shutdown hook.
    }

    private static Started startServices() {
        Path work = Path.of(System.getProperty("drydock.test.work-dir", "target/it"))
                .toAbsolutePath();
        String zip = System.getProperty("drydock.test.keycloak-zip");
        if (zip == null) {
            throw new IllegalStateException(
                    "system property drydock.test.keycloak-zip is not set; run the tests through Maven (./drydock test)");
        }
        try {
            Path pgHome = Files.createTempDirectory(Files.createDirectories(work), "pg-");
            EmbeddedDatabase db = EmbeddedDatabase.start(
                    pgHome.resolve("data"),
                    0,
                    EmbeddedDatabase.Credentials.from(Secrets.load(pgHome.resolve("secrets.properties"))));
            int httpPort = freePort();
            int kcPort = freePort();
            String portalSecret = "test-portal-secret-0123456789abcdef0123456789";
            RealmTemplate realm = RealmTemplate.shipped(
                            "http://localhost:" + httpPort, portalSecret, "test-automation-secret", SERVER_SECRET)
                    .withWorkspace("other", "Other workspace")
                    .withPasswordGrantClient(TEST_CLIENT)
                    .withPasswordGrantClient(SHORT_CLIENT, SHORT_LIFESPAN);
            USERS.forEach(realm::withUser);
            KeycloakProcess kc = KeycloakProcess.start(
                    new KeycloakProcess.Setup(
                            Path.of(zip),
                            work.resolve("keycloak"),
                            kcPort,
                            freePort(),
                            db.jdbcUrl("keycloak"),
                            EmbeddedDatabase.KEYCLOAK,
                            db.credentials().keycloak(),
                            realm.toJson(),
                            "test-bootstrap-admin",
                            Duration.ofSeconds(300),
                            work.resolve("keycloak.log")),
                    line -> System.err.println("[real-services]" + line));
            return new Started(db, kc, httpPort, portalSecret, pgHome.resolve("audit"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InitialUser user(String username, String first, String last, String group) {
        return new InitialUser(username, password(username), first, last, username + "@example.test", List.of(group));
    }

    /** The password of a test user: {@code <username>-password}, long enough for the realm's password policy. */
    public static String password(String username) {
        return username + "-password";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
