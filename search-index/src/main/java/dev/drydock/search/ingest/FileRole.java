package dev.drydock.search.ingest;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a file is for, guessed from its path: the code of the product, its tests, its documentation,
 * or anything else (configuration, data, build files). Task descriptions are mostly answered by
 * code, so the file view ranks tests and documentation behind code with the same evidence.
 */
public enum FileRole {
    CODE, TEST, DOCS, OTHER;

    private static final Set<String> CODE_LANGUAGES = Set.of(
            "java", "kotlin", "groovy", "scala", "python", "javascript", "typescript", "go", "csharp", "c", "cpp", "rust",
            "swift", "php", "ruby");
    private static final Set<String> DOC_LANGUAGES = Set.of("markdown", "asciidoc");
    /**
     * Test folders by convention (Maven/Gradle {@code src/test*}, a {@code tests}-like folder at the top
     * of a repo or module) and test file names (JUnit, pytest, Go, Jest/Mocha). A {@code test} package
     * deep inside main code (a test-support library) is not a test.
     */
    private static final Pattern TEST_PATH = Pattern.compile(
            "(^|/)src/(test|it|jmh|testFixtures)[^/]*/"
                    + "|^([^/]+/)?(tests?|__tests__|testing|e2e|spec|specs)/"
                    + "|(^|/)__tests__/"
                    + "|[A-Za-z0-9](Tests?|IT|TestCase)\\.[A-Za-z]+$|_test\\.[A-Za-z]+$|(^|/)test_[^/]*\\.py$"
                    + "|\\.(test|spec)\\.[A-Za-z]+$");
    private static final Pattern DOCS_PATH = Pattern.compile("^([^/]+/)?docs?/");

    /** The role of the file at {@code path} (relative to its repo, {@code /}-separated). */
    public static FileRole of(String path) {
        String language = Languages.detect(path);
        if (TEST_PATH.matcher(path).find()) {
            return TEST;
        }
        if (DOC_LANGUAGES.contains(language) || DOCS_PATH.matcher(path).find()) {
            return DOCS;
        }
        return CODE_LANGUAGES.contains(language) ? CODE : OTHER;
    }
}
