package dev.drydock.server.agent.tool;

/** Shared bits of tool specs and output shaping. */
final class Schemas {
    /** Longest tool output shown to the model, in characters. */
    static final int MAX_OUTPUT = 12_000;

    private Schemas() {}

    static String object(String properties, String... required) {
        StringBuilder req = new StringBuilder();
        for (String r : required) {
            req.append(req.isEmpty() ? "" : ",").append('"').append(r).append('"');
        }
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":[" + req
                + "],\"additionalProperties\":false}";
    }

    static String prop(String name, String type, String description) {
        return "\"" + name + "\":{\"type\":\"" + type + "\",\"description\":\"" + description.replace("\"", "\\\"")
                + "\"}";
    }

    /** Keeps the head and tail of long output, with a marker saying how much was cut. */
    static String clip(String text) {
        if (text.length() <= MAX_OUTPUT) {
            return text;
        }
        int half = MAX_OUTPUT / 2;
        return text.substring(0, half) + "\n[... " + (text.length() - MAX_OUTPUT) + " characters omitted ...]\n"
                + text.substring(text.length() - half);
    }

    /** Single-quotes a word for sh. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
