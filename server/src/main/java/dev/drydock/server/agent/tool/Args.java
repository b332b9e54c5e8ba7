package dev.drydock.server.agent.tool;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The arguments of one tool call, parsed from the model's JSON, with typed accessors. */
public final class Args {
    private final Map<String, Object> values;
    private final String json;

    private Args(Map<String, Object> values, String json) {
        this.values = values;
        this.json = json;
    }

    /**
     * Parses the model's argument text. Empty text means no arguments.
     *
     * @throws BadArguments when it is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Args parse(String json) {
        String text = json.isBlank() ? "{}" : json;
        Object v;
        try {
            v = Json.parse(text);
        } catch (Json.MalformedJson e) {
            throw new BadArguments("arguments are not valid JSON: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new BadArguments("arguments must be a JSON object");
        }
        return new Args((Map<String, Object>) v, text);
    }

    /** The arguments as JSON text. */
    public String json() {
        return json;
    }

    /** A required string. */
    public String string(String name) {
        return optString(name).orElseThrow(() -> new BadArguments("missing required argument '" + name + "' (string)"));
    }

    public Optional<String> optString(String name) {
        Object v = values.get(name);
        if (v == null || v == Json.NULL) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new BadArguments("argument '" + name + "' must be a string");
        }
        return Optional.of(s);
    }

    public Optional<Integer> optInt(String name) {
        Object v = values.get(name);
        if (v == null || v == Json.NULL) {
            return Optional.empty();
        }
        if (v instanceof BigDecimal d) {
            try {
                return Optional.of(d.intValueExact());
            } catch (ArithmeticException e) {
                throw new BadArguments("argument '" + name + "' must be an integer");
            }
        }
        if (v instanceof String s && s.strip().matches("-?\\d{1,9}")) {
            return Optional.of(Integer.parseInt(s.strip()));
        }
        throw new BadArguments("argument '" + name + "' must be an integer");
    }

    public boolean flag(String name) {
        Object v = values.get(name);
        if (v == null || v == Json.NULL) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new BadArguments("argument '" + name + "' must be true or false");
    }

    /** A list argument (maybe empty). */
    public List<Object> list(String name) {
        Object v = values.get(name);
        if (v == null || v == Json.NULL) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new BadArguments("argument '" + name + "' must be an array");
        }
        return List.copyOf(l);
    }

    /** The raw value, for tools with structured arguments. */
    public Optional<Object> raw(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> v != Json.NULL);
    }

    /** The model wrote arguments that do not fit the tool's schema. */
    public static final class BadArguments extends RuntimeException {
        public BadArguments(String message) {
            super(message);
        }
    }
}
