package dev.drydock.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileRoleTest {
    @Test
    void shouldTellCodeTestsDocsAndOtherFilesApartWhenPathsFollowCommonLayouts() {
        // Given
        Map<String, FileRole> expected = new LinkedHashMap<>();
        expected.put("server/src/main/java/dev/x/RunService.java", FileRole.CODE);
        expected.put("server/src/test/java/dev/x/RunServiceTest.java", FileRole.TEST);
        expected.put("core/src/testFixtures/java/dev/x/Fixtures.java", FileRole.TEST);
        expected.put("lib/FooTests.java", FileRole.TEST);
        expected.put("tests/test_parser.py", FileRole.TEST);
        expected.put("pkg/tests/conftest.py", FileRole.TEST);
        expected.put("pkg/server/handler_test.go", FileRole.TEST);
        expected.put("web/src/app.spec.ts", FileRole.TEST);
        expected.put("web/src/__tests__/app.js", FileRole.TEST);
        expected.put("README.md", FileRole.DOCS);
        expected.put("docs/adr/0001-events.md", FileRole.DOCS);
        expected.put("docs/conf.py", FileRole.DOCS);
        expected.put("src/main/resources/application.properties", FileRole.OTHER);
        expected.put("pom.xml", FileRole.OTHER);
        // a test-support library's package is main code, and names merely starting with Test are not tests
        expected.put("spring-test/org/springframework/test/context/TestContextManager.java", FileRole.CODE);
        expected.put("src/main/java/dev/x/Testimony.java", FileRole.CODE);
        expected.put("src/main/java/dev/x/AUDIT.java", FileRole.CODE);
        expected.put("src/items/Cart.java", FileRole.CODE);
        expected.put("core/src/it/java/dev/x/StoreIT.java", FileRole.TEST);
        // release notes, change logs, credits and Maven site pages document the project
        expected.put("RELEASE-NOTES.txt", FileRole.DOCS);
        expected.put("src/site/resources/release-notes/RELEASE-NOTES-3.9.txt", FileRole.DOCS);
        expected.put("src/changes/changes.xml", FileRole.DOCS);
        expected.put("release-notes/VERSION-2.x", FileRole.DOCS);
        expected.put("CHANGELOG", FileRole.DOCS);
        expected.put("src/site/xdoc/userguide.xml", FileRole.DOCS);
        // ... but only when written as text or markup
        expected.put("scripts/release.sh", FileRole.OTHER);
        expected.put("src/main/java/dev/x/History.java", FileRole.CODE);
        expected.put("db/changes/V1__init.sql", FileRole.OTHER);
        expected.put("src/main/resources/db/changelog/db.changelog-1.0.xml", FileRole.OTHER); // Liquibase migrations

        // When
        Map<String, FileRole> actual = new LinkedHashMap<>();
        expected.keySet().forEach(path -> actual.put(path, FileRole.of(path)));

        // Then
        assertThat(actual).containsExactlyEntriesOf(expected);
    }
}
