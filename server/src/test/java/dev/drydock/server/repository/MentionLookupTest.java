package dev.drydock.server.repository;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.microsoft.playwright.Page;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class MentionLookupTest {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");
    private static Path ledger;

    @Inject
    RepositoryRegistry registry;

    @Inject
    RepositorySync repositories;

    @TestHTTPResource("/portal")
    URL portal;

    @BeforeAll
    static void createGitRepository() throws Exception {
        ledger = Files.createDirectories(ROOT)
                .resolve("mentionable-" + ProcessHandle.current().pid());
        Files.createDirectories(ledger.resolve("src/main/java/books"));
        Files.writeString(ledger.resolve("src/main/java/books/LedgerEntry.java"), """
                package books;

                public class LedgerEntry {
                    public long postLedgerAmount(long cents) { return cents; }
                }
                """);
        Files.writeString(
                ledger.resolve("src/main/java/books/Ledger.java"), "package books;\npublic class Ledger {}\n");
        Files.writeString(
                ledger.resolve("src/main/java/books/GeneralLedgerService.java"),
                "package books;\npublic class GeneralLedgerService {}\n");
        try (Git git = Git.init()
                .setDirectory(ledger.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("Ledger")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
    }

    /** Registers the repository in demo (alice is a drydock admin) and indexes it once. */
    private void registered(String workspace) throws Exception {
        if (registry.registeredNames(workspace).contains("ledger")) {
            return;
        }
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ledger", "path", ledger.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/" + workspace + "/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync(workspace, "ledger").get(120, TimeUnit.SECONDS);
    }

    @Test
    void shouldRankExactAndPrefixMatchesBeforeFuzzyOnesWhenTypingAName() throws Exception {
        // Given
        registered("demo");

        // When
        Response response = given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "@Ledger")
                .queryParam("limit", 20)
                .when()
                .get("/api/workspaces/demo/lookup");

        // Then
        response.then().statusCode(200);
        List<String> matches = response.jsonPath().getList("match");
        List<String> inserts = response.jsonPath().getList("insert");
        assertThat(matches).first().isEqualTo("exact");
        assertThat(matches.indexOf("fuzzy")).isGreaterThan(matches.lastIndexOf("prefix"));
        assertThat(matches.subList(0, 3)).containsOnly("exact");
        assertThat(inserts.subList(0, 3))
                .containsExactly("@ledger", "@Ledger", "@ledger:src/main/java/books/Ledger.java");
        assertThat(inserts.subList(3, matches.lastIndexOf("prefix") + 1))
                .contains("@ledger:src/main/java/books/LedgerEntry.java", "@LedgerEntry");
        assertThat(inserts.subList(matches.indexOf("fuzzy"), inserts.size()))
                .contains("@GeneralLedgerService", "@postLedgerAmount");
    }

    @Test
    void shouldNeverListAnotherWorkspacesRepositoriesWhenTheCallerLooksUp() throws Exception {
        // Given the repository is registered in demo, a workspace otto does not belong to
        registered("demo");

        // When
        Response own = given().auth()
                .oauth2(Tokens.of("otto"))
                .queryParam("q", "ledger")
                .when()
                .get("/api/workspaces/other/lookup");

        // Then
        own.then().statusCode(200).body(not(containsString("ledger:"))).body(not(containsString("LedgerEntry")));
        given().auth()
                .oauth2(Tokens.of("otto"))
                .queryParam("q", "ledger")
                .when()
                .get("/api/workspaces/demo/lookup")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body(not(containsString("LedgerEntry")));
    }

    @Test
    void shouldInsertAMentionWhenAPersonChoosesASuggestionWithTheKeyboard() throws Exception {
        try (PortalBrowser browser = PortalBrowser.launch()) {
            // Given alice on demo's page, typing a task
            registered("demo");
            Page page = browser.signIn("alice", portal.toString());
            List<String> cspViolations = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.text().contains("Content Security Policy")) {
                    cspViolations.add(m.text());
                }
            });
            page.navigate(portal + "/workspaces/demo");
            page.waitForSelector("#task");
            page.click("#task");
            page.keyboard().type("Round the amounts in @LedgerEn");
            page.waitForSelector("#task-mentions [role=option][aria-selected=true]");
            PortalBrowser.screenshot(page, "mention-1-suggestions");
            String firstOption = page.textContent("#task-mentions [role=option][aria-selected=true]");

            // When she takes the first suggestion with Enter
            page.keyboard().press("Enter");

            // Then the field holds the mention, the list is closed, and nothing broke the page's CSP
            page.waitForSelector("#task[aria-expanded=false]");
            assertThat(firstOption).contains("LedgerEntry");
            assertThat(page.inputValue("#task"))
                    .matches("Round the amounts in @(LedgerEntry|ledger:src/main/java/books/LedgerEntry\\.java) ");
            assertThat(page.getAttribute("#task", "role")).isEqualTo("combobox");
            assertThat(page.isHidden("#task-mentions")).isTrue();
            assertThat(cspViolations).isEmpty();
        }
    }

    @Test
    void shouldAnswerProblemJsonWhenTheLimitIsOutOfRange() {
        // Given alice may read the workspace

        // When
        Response response = given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("q", "l")
                .queryParam("limit", 500)
                .when()
                .get("/api/workspaces/demo/lookup");

        // Then
        response.then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("limit must be between 1 and 50"));
    }
}
