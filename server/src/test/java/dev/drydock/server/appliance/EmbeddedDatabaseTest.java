package dev.drydock.server.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded cluster trusts nobody: every role needs its scram password, and the server's role is no superuser. */
class EmbeddedDatabaseTest {
    @TempDir
    Path home;

    private EmbeddedDatabase.Credentials credentials() {
        return EmbeddedDatabase.Credentials.from(Secrets.load(home.resolve("secrets.properties")));
    }

    /** Each login attempt: "ok" or the server's refusal. */
    private static List<String> attempts(EmbeddedDatabase db, String... userPasswordDatabase) {
        List<String> results = new ArrayList<>();
        for (int i = 0; i < userPasswordDatabase.length; i += 3) {
            Properties props = new Properties();
            props.setProperty("user", userPasswordDatabase[i]);
            props.setProperty("password", userPasswordDatabase[i + 1]);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(userPasswordDatabase[i + 2]), props)) {
                results.add("ok");
            } catch (SQLException e) {
                results.add(e.getMessage());
            }
        }
        return results;
    }

    @Test
    void shouldRequireEachRolesPasswordWhenStartedFresh() throws Exception {
        // Given
        EmbeddedDatabase.Credentials p = credentials();

        // When
        try (EmbeddedDatabase db = EmbeddedDatabase.start(home.resolve("postgres"), 0, p)) {
            List<String> results = attempts(
                    db,
                    "postgres",
                    "",
                    "drydock",
                    "postgres",
                    "wrong",
                    "drydock",
                    EmbeddedDatabase.APP,
                    "",
                    "drydock",
                    EmbeddedDatabase.APP,
                    p.app(),
                    "drydock",
                    EmbeddedDatabase.OWNER,
                    p.owner(),
                    "drydock",
                    EmbeddedDatabase.KEYCLOAK,
                    p.keycloak(),
                    "keycloak",
                    EmbeddedDatabase.APP,
                    p.app(),
                    "keycloak",
                    EmbeddedDatabase.KEYCLOAK,
                    p.keycloak(),
                    "drydock");
            String owner;
            boolean appPrivileged;
            try (Connection c = db.connect("drydock", "postgres", p.superuser());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "select pg_get_userbyid(datdba), (select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = '"
                                    + EmbeddedDatabase.APP + "') from pg_database where datname = 'drydock'")) {
                rs.next();
                owner = rs.getString(1);
                appPrivileged = rs.getBoolean(2);
            }

            // Then
            assertThat(results.subList(0, 3)).allSatisfy(r -> assertThat(r).contains("password"));
            assertThat(results.subList(3, 6)).containsOnly("ok");
            assertThat(results.subList(6, 8)).allSatisfy(r -> assertThat(r).contains("permission denied for database"));
            assertThat(owner).isEqualTo(EmbeddedDatabase.OWNER);
            assertThat(appPrivileged).isFalse();
            assertThat(Files.readString(home.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
        }
    }

    @Test
    void shouldSwitchAClusterThatTrustedLoopbackToPasswordsWhenStartedAgain() throws Exception {
        // Given a cluster as an older Drydock made it: initdb -A trust, tables owned by the superuser
        Path data = home.resolve("postgres");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(home.resolve("pg-bin").toFile())
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database drydock");
            try (Connection d = old.getDatabase("postgres", "drydock").getConnection();
                    Statement t = d.createStatement()) {
                t.execute("create table legacy(id bigserial primary key)");
            }
        }
        EmbeddedDatabase.Credentials p = credentials();

        // When
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0, p)) {
            List<String> results =
                    attempts(db, "postgres", "", "drydock", EmbeddedDatabase.OWNER, p.owner(), "drydock");
            String tableOwner;
            try (Connection c = db.connect("drydock", EmbeddedDatabase.OWNER, p.owner());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select tableowner from pg_tables where tablename = 'legacy'")) {
                rs.next();
                tableOwner = rs.getString(1);
            }

            // Then
            assertThat(results.get(0)).contains("password");
            assertThat(results.get(1)).isEqualTo("ok");
            assertThat(tableOwner).isEqualTo(EmbeddedDatabase.OWNER);
            assertThat(Files.exists(data.resolve(EmbeddedDatabase.PASSWORDS_MARKER)))
                    .isTrue();
        }
    }
}
