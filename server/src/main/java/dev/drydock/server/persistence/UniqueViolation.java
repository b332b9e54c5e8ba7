package dev.drydock.server.persistence;

import org.hibernate.JDBCException;

/** Whether a failed statement broke a unique constraint (PostgreSQL SQLSTATE 23505), however Hibernate and JTA wrapped it. */
public final class UniqueViolation {
    private UniqueViolation() {}

    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCException j && "23505".equals(j.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
