package dev.drydock.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates {@code docs/config.md} from the sources of every {@code @ConfigMapping} interface (and
 * sandbox-manager's {@code SandboxKey}) in the
 * repository: key, type, default, environment variable and the method's javadoc. Reading the source
 * (not the bytecode) is what gives us the javadoc.
 */
final class ConfigReference {
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern MEMBER = Pattern.compile(
            "(/\\*\\*(?:(?!\\*/).)*\\*/)?\\s*((?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*)([\\w.<>, ?]+?)\\s+(\\w+)\\(\\)\\s*;",
            Pattern.DOTALL);
    private static final Pattern NESTED = Pattern.compile("interface\\s+(\\w+)\\s*\\{");
    private static final Pattern DEFAULT = Pattern.compile("@WithDefault\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)");
    private static final Pattern NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");

    /** One documented key. */
    record Key(String name, String type, String defaultValue, String description, String source) {}

    private ConfigReference() {}

    static String render(Path repoRoot) {
        List<Key> keys = scan(repoRoot);
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n");
        out.append("Generated from the `@ConfigMapping` interfaces by `ConfigReferenceTest`; do not edit by hand.\n");
        out.append("Regenerate with `./mvnw -pl server test -Dtest=ConfigReferenceTest -Dgolden.update=true`.\n\n");
        out.append(
                "Every key can be set as a system property, in `application.properties`, or as an environment variable\n");
        out.append(
                "(upper case, every character that is not a letter or digit replaced by `_`). Framework settings (`quarkus.*`)\n");
        out.append(
                "that operators commonly change are listed in the README; `./drydock up` derives the database and OIDC ones itself.\n\n");
        String currentPrefix = null;
        for (Key key : keys) {
            String prefix = key.source();
            if (!prefix.equals(currentPrefix)) {
                currentPrefix = prefix;
                out.append("## ").append(prefix).append("\n\n");
                out.append("| key | type | default | environment variable | description |\n");
                out.append("| --- | --- | --- | --- | --- |\n");
            }
            out.append("| `")
                    .append(key.name())
                    .append("` | ")
                    .append(escape(key.type()))
                    .append(" | ")
                    .append(key.defaultValue().isEmpty() ? "—" : "`" + escape(key.defaultValue()) + "`")
                    .append(" | `")
                    .append(envName(key.name()))
                    .append("` | ")
                    .append(escape(key.description()))
                    .append(" |\n");
            if (keys.indexOf(key) + 1 == keys.size()
                    || !keys.get(keys.indexOf(key) + 1).source().equals(prefix)) {
                out.append("\n");
            }
        }
        return out.toString();
    }

    static List<Key> scan(Path repoRoot) {
        List<Key> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(repoRoot)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .sorted()
                    .toList();
            for (Path source : sources) {
                String text = Files.readString(source, StandardCharsets.UTF_8);
                Matcher mapping = MAPPING.matcher(text);
                if (!mapping.find()) {
                    continue;
                }
                String body = text.substring(text.indexOf('{', mapping.end()) + 1);
                String relative = repoRoot.relativize(source).toString();
                collect(body, mapping.group(1), relative + " (`" + mapping.group(1) + "`)", text, keys);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the sandboxes' keys are declared once, in sandbox-manager's SandboxKey (which reads them)
        String sandboxSource = "sandbox-manager/src/main/java/dev/drydock/sandbox/SandboxKey.java (`drydock.sandbox`)";
        for (dev.drydock.sandbox.SandboxKey k : dev.drydock.sandbox.SandboxKey.values()) {
            keys.add(new Key(k.key(), "String", k.defaultValue().orElse(""), k.description(), sandboxSource));
        }
        keys.sort(Comparator.comparing(Key::source).thenComparing(Key::name));
        return keys;
    }

    private static void collect(String body, String prefix, String source, String wholeFile, List<Key> keys) {
        String topLevel = stripNested(body);
        Matcher m = MEMBER.matcher(topLevel);
        while (m.find()) {
            String javadoc = Optional.ofNullable(m.group(1)).orElse("");
            String annotations = Optional.ofNullable(m.group(2)).orElse("");
            String type = m.group(3).trim();
            String method = m.group(4);
            if (type.startsWith("static") || type.startsWith("default") || type.contains("return")) {
                continue;
            }
            Matcher named = NAME.matcher(annotations);
            String key = prefix + "." + (named.find() ? named.group(1) : kebab(method));
            String innerType = type.replaceAll("^Optional<(.*)>$", "$1");
            Optional<String> nestedBody = nestedInterface(wholeFile, innerType);
            if (nestedBody.isPresent()) {
                collect(nestedBody.get(), key, source, wholeFile, keys);
                continue;
            }
            Matcher def = DEFAULT.matcher(annotations);
            String defaultValue = def.find() ? def.group(1) : (type.startsWith("Optional") ? "" : "(required)");
            keys.add(new Key(key, type, defaultValue, javadocText(javadoc), source));
        }
    }

    /** The body of {@code interface name { … }} declared anywhere in the file. */
    private static Optional<String> nestedInterface(String file, String name) {
        Matcher m = NESTED.matcher(file);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                int start = m.end();
                return Optional.of(file.substring(start, matchingBrace(file, start - 1)));
            }
        }
        return Optional.empty();
    }

    /** The text of {@code body} with nested type declarations cut out. */
    private static String stripNested(String body) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean inComment = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!inComment && body.startsWith("/*", i)) {
                inComment = true;
            } else if (inComment && body.startsWith("*/", i)) {
                inComment = false;
                if (depth == 0) {
                    out.append("*/");
                }
                i++;
                continue;
            }
            if (inComment) {
                if (depth == 0) {
                    out.append(c);
                }
                continue;
            }
            if (c == '"') { // a string literal: braces inside, such as a "${other.key}" default, are text
                int end = i + 1;
                while (end < body.length() && body.charAt(end) != '"') {
                    end += body.charAt(end) == '\\' ? 2 : 1;
                }
                if (depth == 0) {
                    out.append(body, i, Math.min(end + 1, body.length()));
                }
                i = end;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth < 0) {
                    break;
                }
            } else if (depth == 0) {
                out.append(c);
            }
        }
        // cut "interface X" / "record X(...)" / "enum X" headers left behind
        return out.toString()
                .replaceAll("(?m)^\\s*(public\\s+)?(static\\s+)?(interface|enum|record|class)\\s+\\w+[^;{]*$", "");
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String javadocText(String javadoc) {
        return javadoc.replaceAll("^/\\*\\*|\\*/$", "")
                .lines()
                .map(l -> l.replaceFirst("^\\s*\\*\\s?", ""))
                .filter(l -> !l.startsWith("@"))
                .reduce((a, b) -> a + " " + b)
                .orElse("")
                .replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`")
                .replaceAll("<[^>]+>", "")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
