package dev.drydock.server.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {
    /** The failure of a real connection attempt to a port where no PostgreSQL listens, as Hibernate wraps it. */
    private static PersistenceException refusedConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/drydock?connectTimeout=2", "x", "y")
                    .close();
            throw new IllegalStateException("a PostgreSQL answered on port " + port);
        } catch (SQLException e) {
            return new PersistenceException("could not open a connection", e);
        }
    }

    private static UriInfo path(String path) {
        return (UriInfo) Proxy.newProxyInstance(
                UriInfo.class.getClassLoader(),
                new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> method.getName().equals("getPath") ? path : null);
    }

    @Test
    void shouldTellUnreachableDatabaseWhenAConnectionIsRefused() throws Exception {
        // When
        boolean unreachable = DatabaseUnavailable.is(refusedConnection());

        // Then
        assertThat(unreachable).isTrue();
    }

    @Test
    void shouldNotTellOtherFailuresAsAnUnreachableDatabase() {
        // Given a statement PostgreSQL refused, a constraint, and a bug
        Throwable syntax = new PersistenceException(new SQLException("syntax error at or near \"selec\"", "42601"));
        Throwable unique = new PersistenceException(new SQLException("duplicate key value", "23505"));
        Throwable bug = new IllegalStateException("no such state");

        // When / Then
        assertThat(DatabaseUnavailable.is(syntax)).isFalse();
        assertThat(DatabaseUnavailable.is(unique)).isFalse();
        assertThat(DatabaseUnavailable.is(bug)).isFalse();
        assertThat(DatabaseUnavailable.is(
                        new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(DatabaseUnavailable.is(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))))
                .isTrue();
    }

    @Test
    void shouldAnswer503ProblemWithRetryAfterWhenTheDatabaseCannotBeReached() throws Exception {
        // When
        Response r = new ProblemMappers().unexpected(refusedConnection(), path("/api/sessions"));

        // Then
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(r.getEntity()).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.type()).endsWith("database-unavailable");
            assertThat(p.detail()).contains("database is not reachable");
            assertThat(p.instance()).isEqualTo("/api/sessions");
        });
    }

    @Test
    void shouldAnswer503NotClientClosedWhenTheConnectionToPostgresBrokeMidRequest() {
        // Given the failure of a statement whose connection PostgreSQL's fast shutdown broke (seen under bench
        // pg-restart)
        Throwable broken = new PersistenceException(new SQLException(
                "An I/O error occurred while sending to the backend.",
                "08006",
                new java.net.SocketException("Broken pipe")));

        // When
        Response r = new ProblemMappers().unexpected(broken, path("/api/hooks/gitlab/demo/calc"));

        // Then it is the database, not the HTTP client that left
        assertThat(r.getStatus()).isEqualTo(503);
    }
}
