package dev.drydock.server.problem;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.jspecify.annotations.Nullable;

/** What a caller must change when a JSON body goes beyond the server's limits (no library names, no internals). */
public final class JsonLimitMessages {
    private JsonLimitMessages() {}

    /** The limit {@code e} ran into, when it or one of its causes is one (databind wraps it with the field's path). */
    public static @Nullable StreamConstraintsException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return limit;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    public static String describe(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return "the request body nests JSON objects or arrays deeper than the server accepts (drydock.http.max-json-depth); flatten it";
        }
        if (m.contains("String value length")) {
            return "the request body holds a JSON string longer than the server accepts (drydock.http.max-json-string-length); shorten it";
        }
        if (m.contains("Number value length")) {
            return "the request body holds a JSON number with more digits than the server accepts";
        }
        return "the request body goes beyond the server's limits on JSON documents";
    }
}
