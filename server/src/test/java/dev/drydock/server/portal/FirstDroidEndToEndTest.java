package dev.drydock.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Your first droid", end to end in a real Chromium through Keycloak's real login, on an appliance
 * whose model and repository come only from the portal (the test profile configures neither): a
 * drydock-admin connects an OpenAI-compatible model through the form, routes a new workspace to it,
 * adds a folder as a local root and a repository from it, starts a code-droid session, approves its
 * edit in the page, watches it complete, opens the review tab and downloads a patch that git applies.
 * Screenshots of each step land in target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class FirstDroidEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private HttpServer model;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /**
     * A stateless OpenAI-compatible model without native tools: it writes its tool calls as text, as
     * many local models do. A repository summary gets a sentence; a droid's request gets the edit first
     * and, once its history holds an answer of the model, the finish.
     */
    @BeforeEach
    void startModel() throws IOException {
        model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        model.createContext("/v1/models", ex -> send(ex, "{\"object\":\"list\",\"data\":[{\"id\":\"e2e-model\"}]}"));
        model.createContext("/v1/chat/completions", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(body);
            send(ex, completion(reply(JSON.readTree(body))));
        });
        model.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        model.start();
    }

    @AfterEach
    void stopModel() {
        model.stop(0);
    }

    private static String reply(JsonNode request) {
        String all = request.path("messages").toString();
        if (all.contains("You summarise a code repository")) {
            return "A tiny calculator with one unit test; run it with python3 -m unittest.";
        }
        long answers = 0;
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("assistant")) {
                answers++;
            }
        }
        return answers == 0
                ? "I will fix the operator.\n<tool_call>{\"name\": \"edit_file\", \"arguments\": {\"path\": \"calc.py\", "
                        + "\"old_text\": \"return a - b\", \"new_text\": \"return a + b\"}}</tool_call>"
                : "<tool_call>{\"name\": \"finish\", \"arguments\": {\"summary\": \"add() subtracted; it adds now.\"}}</tool_call>";
    }

    private static String completion(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "e2e").put("object", "chat.completion").put("model", "e2e-model");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 200).put("completion_tokens", 40);
        return root.toString();
    }

    private static void send(HttpExchange ex, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void shouldDeliverAReviewedPatchWhenAdminConnectsModelAndRepositoryAndMemberRunsCodeSession() throws Exception {
        // Given a git repository with a failing test in a folder the server does not know, and a fresh workspace
        // with one member
        String run = String.valueOf(ProcessHandle.current().pid());
        String workspace = "e2e-" + run;
        String member = "e2e-member-" + run;
        KeycloakAdmin.createWorkspace(workspace);
        KeycloakAdmin.createUser(member, "/workspaces/" + workspace + "/members");
        String endpoint = "e2e-" + run;
        Path root = Files.createDirectories(Path.of("target", "e2e", "repos-" + run))
                .toRealPath();
        Path repo = calcRepository(root.resolve("calc"));
        String baseUrl = "http://127.0.0.1:" + model.getAddress().getPort() + "/v1";
        Page.WaitForSelectorOptions slow = new Page.WaitForSelectorOptions().setTimeout(180_000);
        PlaywrightAssertions.setDefaultAssertionTimeout(180_000);

        try (PortalBrowser browser = PortalBrowser.launch()) {
            // When alice connects the model, routes the workspace to it, adds the root and the repository; then the
            // member starts a code session naming the file with an @-mention, approves its edit, opens the review and
            // downloads the patch
            Page page = browser.signIn("alice", base.resolve("/portal").toString());
            PortalBrowser.screenshot(page, "e2e-01-home");
            page.click("#nav-models");
            page.waitForSelector("#connect-form");
            page.fill("#name", endpoint);
            page.fill("#baseUrl", baseUrl);
            page.check("#protocol-openai");
            page.fill("#modelId", "e2e-model");
            page.selectOption("#clearance", "internal");
            page.click("#save");
            page.waitForSelector("#saved");
            PortalBrowser.screenshot(page, "e2e-02-model-saved");

            page.click("#nav-routes");
            page.waitForSelector("#route-form");
            page.fill("#name", endpoint);
            page.fill("#workspace", workspace);
            page.fill("#endpoints", endpoint);
            page.check("#override");
            page.fill("#overrideReason", "first droid end to end: no gate run for this test model");
            page.click("#save-route");
            page.waitForSelector("#done");
            PortalBrowser.screenshot(page, "e2e-03-route");

            page.click("#nav-sources");
            page.waitForSelector("#root-form");
            page.fill("#root-path", root.toString());
            page.click("#add-root");
            page.waitForSelector("#done");

            page.click("#nav-repositories");
            page.waitForSelector("#add-form");
            page.fill("#workspace", workspace);
            page.fill("#repo-name", "calc");
            page.check("#source-path");
            page.fill("#path", repo.toString());
            page.click("#add");
            page.waitForSelector("#repo-" + workspace + "-calc[data-status=ready]", slow);
            PortalBrowser.screenshot(page, "e2e-04-repository-ready");

            Page mine = browser.signIn(
                    member, base.resolve("/portal/workspaces/" + workspace).toString());
            mine.selectOption("#droid", "code");
            mine.selectOption("#repo", "calc");
            mine.fill("#task", "Fix add() in ");
            mine.locator("#task").pressSequentially("@calc.p");
            mine.locator("#task-mentions li[data-insert='@calc:calc.py']").click();
            mine.locator("#task").pressSequentially("test_add fails because it subtracts.");
            PlaywrightAssertions.assertThat(mine.locator("#task"))
                    .hasValue("Fix add() in @calc:calc.py test_add fails because it subtracts.");
            PortalBrowser.screenshot(mine, "e2e-05-mention");
            mine.click("#start");
            mine.waitForURL(u -> u.contains("/portal/sessions/"));
            String id = mine.url().replaceFirst(".*/portal/sessions/", "").replaceFirst("[?#].*", "");
            mine.waitForSelector("#approvals .approval button.approve", slow);
            PortalBrowser.screenshot(mine, "e2e-05-approval");
            mine.click("#approvals .approval button.approve");
            PlaywrightAssertions.assertThat(mine.locator("#outcome")).hasText("completed");
            mine.click("#tab-review");
            PlaywrightAssertions.assertThat(mine.locator("#file-list a")).hasText(new String[] {"calc.py"});
            PortalBrowser.screenshot(mine, "e2e-06-review");
            Download download = mine.waitForDownload(() -> mine.click("#download-patch"));
            String patch = Files.readString(download.path());

            // Then the patch carries the fix and the session's id, and git applies it to the repository
            assertThat(download.suggestedFilename()).isEqualTo("drydock-" + id + ".patch");
            assertThat(patch)
                    .startsWith("From ")
                    .contains("-    return a - b")
                    .contains("+    return a + b")
                    .contains("Drydock-Session: " + id);
            Path apply = Files.createTempFile(root, "change-", ".patch");
            Files.writeString(apply, patch);
            Process check = new ProcessBuilder("git", "apply", "--check", apply.toString())
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue())
                    .as(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isZero();
            assertThat(requests).anySatisfy(r -> assertThat(r).contains("edit_file"));
        }
    }

    private static Path calcRepository(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("calc.py"), "def add(a, b):\n    return a - b\n");
        Files.writeString(
                dir.resolve("test_calc.py"),
                "import unittest\n\nfrom calc import add\n\n\nclass CalcTest(unittest.TestCase):\n"
                        + "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n");
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("calc with a bug")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        return dir;
    }
}
