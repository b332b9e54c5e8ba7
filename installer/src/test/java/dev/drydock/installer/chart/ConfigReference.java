package dev.drydock.installer.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server reads, from its documentation and its properties: the keys and environment
 * variables of docs/config.md (generated from the @ConfigMapping interfaces), and the variables
 * application.properties reads through {@code ${NAME:default}} (the database and OIDC settings).
 */
final class ConfigReference {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ROW =
            Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\| [^|]* \\| `([A-Z0-9_]+)` \\| (.*) \\|$");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):");
    private static final Pattern SUBKEY = Pattern.compile("`(?:[a-z.-]+\\.NAME)?\\.([a-z-]+)`");

    /** Environment variable names of docs/config.md. */
    final Set<String> environment = new HashSet<>();
    /** Map-typed keys of docs/config.md and the sub-keys their descriptions name. */
    final Map<String, Set<String>> mapKeys = new HashMap<>();
    /** Variables application.properties reads. */
    final Set<String> propertyExpressions = new HashSet<>();

    static ConfigReference load() {
        try {
            ConfigReference r = new ConfigReference();
            for (String line : Files.readAllLines(ROOT.resolve("docs/config.md"))) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    r.environment.add(m.group(3));
                    if (m.group(2).strip().startsWith("Map<")) {
                        Set<String> subs = new HashSet<>();
                        Matcher s = SUBKEY.matcher(m.group(4));
                        while (s.find()) {
                            subs.add(s.group(1));
                        }
                        r.mapKeys.put(m.group(1), subs);
                    }
                }
            }
            Matcher e = EXPRESSION.matcher(
                    Files.readString(ROOT.resolve("server/src/main/resources/application.properties")));
            while (e.find()) {
                r.propertyExpressions.add(e.group(1));
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
