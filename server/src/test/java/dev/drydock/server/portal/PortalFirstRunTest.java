package dev.drydock.server.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.gateway.ScriptedModelServer;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first run in a real browser through Keycloak's real login: a drydock-admin connects a model
 * and adds a repository through the portal's forms only (no file edited, no token copied), and
 * people without the role get the 403 page. Screenshots of each page land in target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class PortalFirstRunTest {
    private static final Page.WaitForSelectorOptions INDEXING = new Page.WaitForSelectorOptions().setTimeout(120_000);
    /** The local root of the test profile ({@code drydock.repos.local-roots}). */
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");

    @TestHTTPResource("/portal")
    URL portal;

    @Inject
    AuditTrail audit;

    private final ScriptedModelServer model = new ScriptedModelServer();

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void shouldConnectModelAndIndexLocalRepositoryWhenAdminUsesOnlyTheForms() throws Exception {
        // Given a scripted OpenAI-compatible server (completion, streaming, a native tool call, JSON) and a
        // git repository in a folder the server does not know yet
        model.then(
                ScriptedModelServer.whole("Hello"),
                ScriptedModelServer.stream("1 ", "2 ", "3"),
                new ScriptedModelServer.ToolCallStream("get_time", "{\"zone\":\"UTC\"}"),
                ScriptedModelServer.whole("{\"ok\": true}"));
        Path root = Files.createDirectories(Path.of(
                        "target",
                        "first-run",
                        "repos-" + ProcessHandle.current().pid()))
                .toRealPath();
        Path repo = gitRepository(root.resolve("greeter"));
        String base = portal.toString().replaceFirst("/portal$", "");

        try (PortalBrowser browser = PortalBrowser.launch()) {
            // When alice connects the model (Test, then Save), adds the folder as a local root and the repository by
            // path
            Page page = browser.signIn("alice", portal.toString());
            page.waitForSelector("#get-started");
            PortalBrowser.screenshot(page, "first-run-1-home");

            page.click("#nav-models");
            page.waitForSelector("#connect-form");
            page.fill("#name", "first-run");
            page.fill("#baseUrl", model.baseUrl());
            page.check("#protocol-openai");
            page.fill("#modelId", "scripted-model");
            page.selectOption("#clearance", "internal");
            page.click("#test");
            page.waitForSelector("#probe");
            String probe = page.textContent("#probe-lines");
            String probeSummary = page.textContent("#probe-summary");
            String keptUrl = page.inputValue("#baseUrl");
            PortalBrowser.screenshot(page, "first-run-2-model-tested");
            page.click("#save");
            page.waitForSelector("#saved");
            String endpoints = page.textContent("#endpoints");
            PortalBrowser.screenshot(page, "first-run-3-model-saved");

            page.click("#nav-sources");
            page.waitForSelector("#root-form");
            page.fill("#root-path", root.toString());
            page.click("#add-root");
            page.waitForSelector("#done");
            String roots = page.textContent("#roots");
            PortalBrowser.screenshot(page, "first-run-4-sources");

            Response repositoriesPage = page.navigate(base + "/portal/repositories");
            page.waitForSelector("#add-form");
            page.fill("#workspace", "first-run");
            page.fill("#repo-name", "greeter");
            page.check("#source-path");
            page.fill("#path", repo.toString());
            page.click("#add");
            page.waitForSelector("#repo-first-run-greeter");
            PortalBrowser.screenshot(page, "first-run-5-repository-added");
            page.waitForSelector("#repo-first-run-greeter[data-status=ready]", INDEXING);
            String status = page.textContent("#repo-first-run-greeter .status");
            String files = page.textContent("#repo-first-run-greeter .files");
            PortalBrowser.screenshot(page, "first-run-6-repository-ready");

            page.click(".brand");
            page.waitForSelector("#get-started");
            PortalBrowser.screenshot(page, "first-run-7-home-after");

            // Then
            assertThat(probeSummary).contains("you can save it").contains("scripted-model");
            assertThat(probe)
                    .contains("completion ok")
                    .contains("streaming ok")
                    .contains("tools ok")
                    .contains("json-mode ok")
                    .contains("models ok");
            assertThat(keptUrl).isEqualTo(model.baseUrl());
            assertThat(endpoints)
                    .contains("first-run")
                    .contains(model.baseUrl())
                    .contains("scripted-model");
            assertThat(roots).contains(root.toString());
            assertThat(status).isEqualTo("ready");
            assertThat(files.strip()).isEqualTo("2");
            assertThat(page.getAttribute("#step-model", "class")).isEqualTo("step-done");
            assertThat(page.getAttribute("#step-repository", "class")).isEqualTo("step-done");
            assertThat(repositoriesPage.headers().get("content-security-policy"))
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe-eval");
            assertThat(page.locator("script:not([src])").count()).isZero();
        }
    }

    @Test
    void shouldShowFailureReasonAndIndexAfterRetryWhenFirstSyncFailed() throws Exception {
        // Given a repository registered (through the API) from a folder that is not a git repository yet
        Path folder = Files.createDirectories(
                ROOT.resolve("retry-" + ProcessHandle.current().pid()));
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "later", "path", folder.toString()))
                .when()
                .post("/api/workspaces/retry-test/repositories")
                .then()
                .statusCode(201);
        Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("alice"))
                        .when()
                        .get("/api/workspaces/retry-test/repositories/later")
                        .path("status"),
                "failed"::equals,
                Duration.ofSeconds(60));
        long before = audit.verify().checked();

        try (PortalBrowser browser = PortalBrowser.launch()) {
            // When alice reads the failure, the folder is made a git repository, and she presses Retry
            Page page = browser.signIn("alice", portal.toString().replaceFirst("/portal$", "/portal/repositories"));
            page.waitForSelector("#repo-retry-test-later[data-status=failed] form.retry button");
            String reason = page.textContent("#repo-retry-test-later .detail");
            PortalBrowser.screenshot(page, "first-run-repository-failed");
            gitRepository(folder);
            page.click("#repo-retry-test-later form.retry button");
            page.waitForSelector("#repo-retry-test-later[data-status=ready]", INDEXING);

            // Then
            PortalBrowser.screenshot(page, "first-run-repository-retried");
            assertThat(reason).isNotBlank();
            assertThat(page.textContent("#repo-retry-test-later .status")).isEqualTo("ready");
            assertThat(page.isHidden("#repo-retry-test-later form.retry")).isTrue();
            assertThat(audit.page(before, 1000, "retry-test")).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo("repository.sync-requested");
                assertThat(r.target()).isEqualTo("retry-test/later");
            });
        }
    }

    @Test
    void shouldAllowTheUrlsHostAndAuditItWhenAdminTicksItInTheRepositoryForm() throws Exception {
        // Given a git URL on a host no source allows yet (the loopback address, where nothing listens on port 9)
        long before = audit.verify().checked();

        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn("alice", portal.toString().replaceFirst("/portal$", "/portal/repositories"));

            // When
            page.fill("#workspace", "url-test");
            page.fill("#repo-name", "remote");
            page.check("#source-url");
            page.fill("#url", "http://127.0.0.1:9/team/remote.git");
            page.check("#allowHost");
            page.click("#add");
            page.waitForSelector("#repo-url-test-remote[data-status=failed] form.retry button", INDEXING);

            // Then
            PortalBrowser.screenshot(page, "first-run-repository-by-url");
            assertThat(page.textContent("#repo-url-test-remote .detail")).contains("127.0.0.1");
            assertThat(audit.page(before, 1000, null)).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo("repository-source.added");
                assertThat(r.target()).isEqualTo("git-host 127.0.0.1");
            });
            given().auth()
                    .oauth2(Tokens.of("alice"))
                    .when()
                    .get("/api/admin/repository-sources")
                    .then()
                    .statusCode(200)
                    .body(
                            "allowedHosts.find { it.value == '127.0.0.1' }.addedBy",
                            org.hamcrest.Matchers.equalTo("alice"));
        }
    }

    @Test
    void shouldKeepInputsAndShowErrorNextToFieldWhenModelBaseUrlIsInvalid() {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn("alice", portal.toString().replaceFirst("/portal$", "/portal/admin/models"));

            // When
            page.fill("#name", "broken");
            page.fill("#baseUrl", "ftp://models.internal/v1");
            page.fill("#modelId", "some-model");
            page.click("#save");
            page.waitForSelector("#baseUrl-error");

            // Then
            PortalBrowser.screenshot(page, "first-run-model-error");
            assertThat(page.textContent("#baseUrl-error")).contains("http(s) URL");
            assertThat(page.inputValue("#baseUrl")).isEqualTo("ftp://models.internal/v1");
            assertThat(page.inputValue("#modelId")).isEqualTo("some-model");
            assertThat(page.inputValue("#name")).isEqualTo("broken");
            assertThat(page.textContent("#endpoints, #no-endpoints")).doesNotContain("broken");
        }
    }

    @Test
    void shouldKeepInputAndShowErrorNextToFieldWhenLocalRootIsRefused() {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn("alice", portal.toString().replaceFirst("/portal$", "/portal/admin/sources"));

            // When
            page.fill("#root-path", "relative/folder");
            page.click("#add-root");
            page.waitForSelector("#root-error");

            // Then
            PortalBrowser.screenshot(page, "first-run-sources-error");
            assertThat(page.textContent("#root-error")).contains("absolute");
            assertThat(page.inputValue("#root-path")).isEqualTo("relative/folder");
            assertThat(page.getAttribute("#root-path", "aria-invalid")).isEqualTo("true");
            assertThat(page.getAttribute("#root-path", "aria-describedby")).contains("root-error");
            assertThat(page.evaluate("document.activeElement.id")).isEqualTo("root-path");
        }
    }

    @Test
    void shouldShowForbiddenPageWhenMemberOpensAdminPages() {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {

            // When
            Page page = browser.signIn("mike", portal.toString().replaceFirst("/portal$", "/portal/admin/models"));

            // Then
            page.waitForSelector("#problem");
            PortalBrowser.screenshot(page, "first-run-member-forbidden");
            assertThat(page.textContent("#problem-title")).contains("403");
            assertThat(page.textContent("#problem-detail")).contains("drydock-admin");
            assertThat(page.locator("#nav-models").count()).isZero();
            assertThat(page.locator("#connect-form").count()).isZero();
        }
    }

    private static Path gitRepository(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(
                dir.resolve("src/Greeter.java"),
                "/** Greets people. */\npublic class Greeter {\n    String greet(String name) { return \"Hello \" + name; }\n}\n");
        Files.writeString(dir.resolve("README.md"), "# Greeter\n");
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("Greeter")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        return dir;
    }
}
