package dev.drydock.server.agent.context;

import dev.drydock.server.agent.tool.FileTree;
import dev.drydock.server.agent.tool.TestCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic overview of a repository from its files alone: languages (by file count), build
 * system, modules, how to build and test, entry points. The same files always give the same text.
 */
public final class ProjectOverview {
    private static final Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("java", "Java"),
            Map.entry("kt", "Kotlin"),
            Map.entry("py", "Python"),
            Map.entry("js", "JavaScript"),
            Map.entry("ts", "TypeScript"),
            Map.entry("go", "Go"),
            Map.entry("rs", "Rust"),
            Map.entry("c", "C"),
            Map.entry("h", "C"),
            Map.entry("cpp", "C++"),
            Map.entry("cs", "C#"),
            Map.entry("rb", "Ruby"),
            Map.entry("sh", "Shell"),
            Map.entry("sql", "SQL"),
            Map.entry("scala", "Scala"),
            Map.entry("php", "PHP"),
            Map.entry("swift", "Swift"));
    private static final Pattern MAVEN_MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final int MAX_FILES = 5000;

    private ProjectOverview() {}

    /** The overview as Markdown. */
    public static String compute(FileTree ws, TestCommand test) {
        Map<String, Integer> languages = new TreeMap<>();
        List<String> entryPoints = new ArrayList<>();
        List<String> all = new ArrayList<>();
        walk(ws, ".", 0, all);
        for (String f : all) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            String lang = LANGUAGES.get(ext);
            if (lang != null) {
                languages.merge(lang, 1, Integer::sum);
            }
            if (name.equals("main.go")
                    || name.equals("__main__.py")
                    || name.equals("Main.java")
                    || name.endsWith("Application.java")
                    || name.equals("main.py")
                    || name.equals("index.js")
                    || name.equals("main.rs")
                    || name.equals("Dockerfile")) {
                entryPoints.add(f);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("- Languages: ");
        if (languages.isEmpty()) {
            out.append("none recognised");
        } else {
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(languages.entrySet());
            sorted.sort(
                    Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            out.append(String.join(
                    ", ",
                    sorted.stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + " files)")
                            .toList()));
        }
        out.append('\n');
        out.append("- Build system: ").append(buildSystem(ws)).append('\n');
        List<String> modules = modules(ws);
        if (!modules.isEmpty()) {
            out.append("- Modules: ").append(String.join(", ", modules)).append('\n');
        }
        out.append("- Test command: ")
                .append(
                        test.isPresent()
                                ? "`" + test.command() + "` (from " + test.detectedFrom() + ")"
                                : "none detected")
                .append('\n');
        if (!entryPoints.isEmpty()) {
            out.append("- Entry points: ")
                    .append(String.join(", ", entryPoints.subList(0, Math.min(10, entryPoints.size()))))
                    .append('\n');
        }
        out.append("- Files: ")
                .append(all.size())
                .append(all.size() >= MAX_FILES ? "+" : "")
                .append('\n');
        return out.toString();
    }

    private static String buildSystem(FileTree ws) {
        List<String> found = new ArrayList<>();
        if (ws.isFile("pom.xml")) {
            found.add("Maven");
        }
        if (ws.isFile("build.gradle") || ws.isFile("build.gradle.kts")) {
            found.add("Gradle");
        }
        if (ws.isFile("package.json")) {
            found.add("npm");
        }
        if (ws.isFile("pyproject.toml") || ws.isFile("setup.py")) {
            found.add("Python packaging");
        }
        if (ws.isFile("go.mod")) {
            found.add("Go modules");
        }
        if (ws.isFile("Cargo.toml")) {
            found.add("Cargo");
        }
        if (ws.isFile("Makefile")) {
            found.add("Make");
        }
        return found.isEmpty() ? "none recognised" : String.join(", ", found);
    }

    private static List<String> modules(FileTree ws) {
        List<String> modules = new ArrayList<>();
        if (ws.isFile("pom.xml")) {
            Matcher m = MAVEN_MODULE.matcher(ws.read("pom.xml"));
            while (m.find()) {
                modules.add(m.group(1).strip());
            }
        }
        for (String gradle : new String[] {"settings.gradle", "settings.gradle.kts"}) {
            if (ws.isFile(gradle)) {
                Matcher m = Pattern.compile("include\\s*\\(?\\s*['\"]:?([^'\"]+)['\"]")
                        .matcher(ws.read(gradle));
                while (m.find()) {
                    modules.add(m.group(1));
                }
            }
        }
        return modules;
    }

    private static void walk(FileTree ws, String dir, int depth, List<String> out) {
        if (depth > 8 || out.size() >= MAX_FILES) {
            return;
        }
        for (FileTree.Entry e : ws.list(dir)) {
            if (out.size() >= MAX_FILES) {
                return;
            }
            String path = dir.equals(".") ? e.name() : dir + "/" + e.name();
            if (e.directory()) {
                if (!e.name().startsWith(".") && !RulesFiles.SKIP.contains(e.name())) {
                    walk(ws, path, depth + 1, out);
                }
            } else {
                out.add(path);
            }
        }
    }
}
