package dev.drydock.server.problem;

import org.hibernate.JDBCException;
import org.jspecify.annotations.Nullable;

/**
 * Failures that the request's own text causes below the resources, where no validation sees it first:
 * text holding NUL (U+0000), which PostgreSQL refuses in every text and jsonb value, and a form body
 * that is not percent-encoded UTF-8, which the framework fails to decode. Both are the caller's to fix
 * (400), not an internal error.
 */
public final class InputFaults {
    /** PostgreSQL's "character not in repertoire": a NUL byte in text ("invalid byte sequence … 0x00"). */
    private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

    private InputFaults() {}

    /** What the caller must change, when {@code e} is one of these failures; null otherwise. */
    public static @Nullable String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCException sql && CHARACTER_NOT_IN_REPERTOIRE.equals(sql.getSQLState())) {
                return "Text in this request holds a NUL character (U+0000, %00 or \\u0000), which cannot be stored; remove it.";
            }
            String message = t.getMessage();
            if (t instanceof IllegalArgumentException
                    && message != null
                    && message.startsWith("Failed to decode URL")) {
                return "The form or query is not valid percent-encoded UTF-8 (a lone '%' must be sent as %25).";
            }
        }
        return null;
    }
}
