package dev.drydock.search.ingest;

import java.util.Set;

/**
 * What a file is for, guessed from its path: the code of the product, its tests, its documentation,
 * or anything else (configuration, data, build files). Task descriptions are mostly answered by
 * code, so the file view ranks tests and documentation behind code with the same evidence.
 */
public enum FileRole {
    CODE,
    TEST,
    DOCS,
    OTHER;

    private static final Set<String> CODE_LANGUAGES = Set.of(
            "java",
            "kotlin",
            "groovy",
            "scala",
            "python",
            "javascript",
            "typescript",
            "go",
            "csharp",
            "c",
            "cpp",
            "rust",
            "swift",
            "php",
            "ruby");
    private static final Set<String> DOC_LANGUAGES = Set.of("markdown", "asciidoc");
    /** Folders holding tests when they sit at the top of a repo or of a module. */
    private static final Set<String> TEST_FOLDERS =
            Set.of("test", "tests", "__tests__", "testing", "e2e", "spec", "specs");

    private static final Set<String> DOC_FOLDERS = Set.of("doc", "docs");
    /**
     * Names (their leading letters, dashes and underscores, upper-cased, without the dashes and
     * underscores) of files that record a project's history or people rather than its code:
     * release notes, change logs, credits.
     */
    private static final Set<String> RECORD_NAMES =
            Set.of("RELEASENOTES", "CHANGES", "CHANGELOG", "NEWS", "HISTORY", "CREDITS", "AUTHORS", "CONTRIBUTORS");
    /** Languages a record is written in: text, markup, or none recognised. */
    private static final Set<String> RECORD_LANGUAGES = Set.of("text", "markdown", "asciidoc", "xml", "html");
    /**
     * Folders holding only such records. Not {@code changelog/}: Liquibase keeps database
     * migrations there.
     */
    private static final Set<String> RECORD_FOLDERS = Set.of("release-notes", "releasenotes");
    /** Maven's documentation folders under {@code src/}: the site's pages and the change log. */
    private static final Set<String> MAVEN_DOC_FOLDERS = Set.of("site", "changes");

    /**
     * The role of the file at {@code path} (relative to its repo, {@code /}-separated). Tests are
     * recognised by convention: Maven/Gradle {@code src/test*}, {@code src/it}, {@code src/jmh}
     * folders, a test folder at the top of the repo or of a module, {@code __tests__}, and test file
     * names (JUnit {@code *Test}, {@code *Tests}, {@code *IT}; pytest {@code test_*.py}; Go
     * {@code *_test}; Jest/Mocha {@code *.test.*}, {@code *.spec.*}). A {@code test} package deep
     * inside main code (a test-support library) is code. Plain string checks: this runs for every
     * ranked file of every search.
     */
    public static FileRole of(String path) {
        String[] segments = path.split("/");
        String name = segments[segments.length - 1];
        if (isTestName(name)) {
            return TEST;
        }
        for (int i = 0; i < segments.length - 1; i++) {
            String segment = segments[i];
            if ((i <= 1 && TEST_FOLDERS.contains(segment)) || segment.equals("__tests__")) {
                return TEST;
            }
            if (segment.equals("src") && i + 1 < segments.length - 1) {
                String next = segments[i + 1];
                if (next.startsWith("test")
                        || next.equals("it")
                        || next.equals("jmh")
                        || next.equals("integrationTest")) {
                    return TEST;
                }
            }
        }
        String language = Languages.detect(path);
        if (RECORD_LANGUAGES.contains(language) && (isRecord(segments) || isMavenDoc(segments))) {
            return DOCS;
        }
        if (DOC_LANGUAGES.contains(language)
                || (segments.length > 1 && DOC_FOLDERS.contains(segments[0]))
                || (segments.length > 2 && DOC_FOLDERS.contains(segments[1]))) {
            return DOCS;
        }
        return CODE_LANGUAGES.contains(language) ? CODE : OTHER;
    }

    /** Under Maven's {@code src/site} (the project web site's pages) or {@code src/changes}. */
    private static boolean isMavenDoc(String[] segments) {
        for (int i = 0; i + 2 < segments.length; i++) {
            if (segments[i].equals("src") && MAVEN_DOC_FOLDERS.contains(segments[i + 1])) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRecord(String[] segments) {
        String name = segments[segments.length - 1];
        StringBuilder lead = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetter(c)) {
                lead.append(Character.toUpperCase(c));
            } else if (c != '-' && c != '_') {
                break;
            }
        }
        if (RECORD_NAMES.contains(lead.toString())) {
            return true;
        }
        for (int i = 0; i < segments.length - 1; i++) {
            if (RECORD_FOLDERS.contains(segments[i].toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTestName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return false;
        }
        String stem = name.substring(0, dot);
        if (stem.endsWith(".test")
                || stem.endsWith(".spec")
                || stem.endsWith("_test")
                || (name.startsWith("test_") && name.endsWith(".py"))) {
            return true;
        }
        for (String suffix : new String[] {"Test", "Tests", "TestCase", "IT"}) {
            int before = stem.length() - suffix.length() - 1;
            if (stem.endsWith(suffix) && before >= 0) {
                char c = stem.charAt(before);
                // FooIT is a test, AUDIT is not
                if (suffix.equals("IT")
                        ? Character.isLowerCase(c) || Character.isDigit(c)
                        : Character.isLetterOrDigit(c)) {
                    return true;
                }
            }
        }
        return false;
    }
}
