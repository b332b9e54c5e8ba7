package dev.drydock.search.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Language detection by file name; unknown text files get {@code "text"}. */
public final class Languages {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("java", "java"),
            Map.entry("kt", "kotlin"),
            Map.entry("kts", "kotlin"),
            Map.entry("groovy", "groovy"),
            Map.entry("scala", "scala"),
            Map.entry("py", "python"),
            Map.entry("pyi", "python"),
            Map.entry("js", "javascript"),
            Map.entry("jsx", "javascript"),
            Map.entry("mjs", "javascript"),
            Map.entry("cjs", "javascript"),
            Map.entry("ts", "typescript"),
            Map.entry("tsx", "typescript"),
            Map.entry("go", "go"),
            Map.entry("cs", "csharp"),
            Map.entry("c", "c"),
            Map.entry("h", "c"),
            Map.entry("cc", "cpp"),
            Map.entry("cpp", "cpp"),
            Map.entry("cxx", "cpp"),
            Map.entry("hpp", "cpp"),
            Map.entry("hh", "cpp"),
            Map.entry("hxx", "cpp"),
            Map.entry("rs", "rust"),
            Map.entry("swift", "swift"),
            Map.entry("php", "php"),
            Map.entry("rb", "ruby"),
            Map.entry("sql", "sql"),
            Map.entry("yaml", "yaml"),
            Map.entry("yml", "yaml"),
            Map.entry("json", "json"),
            Map.entry("xml", "xml"),
            Map.entry("md", "markdown"),
            Map.entry("adoc", "asciidoc"),
            Map.entry("sh", "shell"),
            Map.entry("bash", "shell"),
            Map.entry("properties", "properties"),
            Map.entry("toml", "toml"),
            Map.entry("html", "html"),
            Map.entry("css", "css"),
            Map.entry("proto", "protobuf"),
            Map.entry("gradle", "groovy"));

    /** Languages chunked with the brace-aware parser. */
    private static final Set<String> BRACE_LANGUAGES = Set.of(
            "java",
            "kotlin",
            "groovy",
            "scala",
            "javascript",
            "typescript",
            "go",
            "csharp",
            "c",
            "cpp",
            "rust",
            "swift",
            "php");

    private Languages() {}

    public static String detect(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return switch (name) {
                case "Makefile", "Dockerfile", "Jenkinsfile" -> name.toLowerCase(Locale.ROOT);
                default -> "text";
            };
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "text");
    }

    public static boolean isBraceLanguage(String language) {
        return BRACE_LANGUAGES.contains(language);
    }
}
