package dev.drydock.server.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Tells a PostgreSQL that cannot be reached (down, restarting, refusing connections, the pool unable
 * to get a connection in time) from every other failure, so that a request that meets it is answered
 * 503 with a Retry-After instead of an internal error: the database comes back, and so does the
 * request. It only reads exception types and SQL states (class 08, connection exception; 57P01 to
 * 57P03, the server shutting down or not yet accepting connections); it uses no connection.
 */
public final class DatabaseUnavailable {
    /** What the answer says, in problem+json and on the portal's error page. */
    public static final String DETAIL =
            "The database is not reachable right now (restarting or down). Nothing was changed; try again in a few seconds.";

    /** Seconds a client is asked to wait before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable() {}

    /** Whether {@code e}, or one of its causes, says the database cannot be reached. */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.matches("57P0[123]"))) {
                    return true;
                }
                String message =
                        sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
                // Agroal's pool, when no connection came in time: the database is gone or saturated
                if (message.contains("acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }
}
