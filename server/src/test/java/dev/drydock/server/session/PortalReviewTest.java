package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.drydock.server.testing.Axe;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session page's review tab and documents, inline approval in the page, and axe-core on every
 * portal page, in one real Chromium for the class (Keycloak's real login, the scripted model server,
 * the real sandbox). Screenshots of every page land in target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class PortalReviewTest {
    private static final String MARKDOWN =
            "# Output formats\n\nThe tool writes **Markdown** and plain text.\n\n| format | file |\n| --- | --- |\n| markdown | `out.md` |\n\n"
                    + "<script>window.docXss = true</script>\n\n[bad link](javascript:alert(1))\n";
    private static final String SVG =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\"><rect width=\"120\" height=\"40\" fill=\"#1f5fbf\"/>"
                    + "<script>parent.svgXss = true</script><text x=\"8\" y=\"26\" fill=\"#fff\">calc</text></svg>";

    @TestHTTPResource("/")
    URI base;

    static PortalBrowser browser;

    @BeforeAll
    static void scriptsAndBrowser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(90_000);
        DroidTestServices.SCRIPTS.put(
                "review-approve",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("finish", args("summary", "Fix add(): it subtracted."))));
        DroidTestServices.SCRIPTS.put(
                "review-deny",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return b - a")),
                        calls("ask_user", args("question", "Then what should add() do?", "options", List.of("a + b"))),
                        calls("finish", args("summary", "never reached in these tests"))));
        DroidTestServices.SCRIPTS.put(
                "review-markdown", script(calls("finish", args("title", "Formats", "document", MARKDOWN))));
        DroidTestServices.SCRIPTS.put("review-svg", script(calls("finish", args("title", "Logo", "document", SVG))));
        browser = PortalBrowser.launch();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void demoWorkspaceAsksBeforeWrites() {
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "allowedDroids",
                        List.of("code", "knowledge", "reliability"),
                        "allowedRoutes",
                        List.of(),
                        "autonomy",
                        "approve-writes",
                        "classification",
                        "internal"))
                .when()
                .put("/api/workspaces/demo/policy")
                .then()
                .statusCode(200);
    }

    String url(String path) {
        return base.resolve(path).toString();
    }

    String start(String user, String droid, String task) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("workspace", "demo", "droid", droid, "task", task));
        if (droid.equals("code")) {
            body.put("repo", "droid-calc");
        }
        return given().auth()
                .oauth2(Tokens.of(user))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void shouldReviewHighlightedDiffAndDownloadAPatchThatAppliesWhenMemberApprovesTheEditInThePage() throws Exception {
        // Given mike's code session waiting for the approval of its edit, open in the page
        String id = start("mike", "code", "[script:review-approve] Fix add()");
        Page page = browser.signIn("mike", url("/portal/sessions/" + id));
        page.waitForSelector("#approvals .approval button.approve");
        PortalBrowser.screenshot(page, "review-1-approval-pending");

        // When he presses Approve next to it
        page.click("#approvals .approval button.approve");

        // Then the session completes, and the review tab (loaded when it finished) shows the change per file,
        // highlighted
        PlaywrightAssertions.assertThat(page.locator("#outcome")).hasText("completed");
        PlaywrightAssertions.assertThat(page.locator("#events li[data-type='action.approved.v1']"))
                .hasCount(1);
        PlaywrightAssertions.assertThat(page.locator("#file-list a")).hasText(new String[] {"calc.py"});
        PlaywrightAssertions.assertThat(page.locator("#review-stats")).containsText("1 file changed");
        PlaywrightAssertions.assertThat(page.locator("#file-1 tr.diff-add .src"))
                .hasText("    return a + b");
        PlaywrightAssertions.assertThat(page.locator("#file-1 tr.diff-add .tok-keyword"))
                .hasText("return");
        PlaywrightAssertions.assertThat(page.locator("#file-1 tr.diff-del .src"))
                .hasText("    return a - b");
        PlaywrightAssertions.assertThat(
                        page.locator("#file-1 tr.diff-add td.ln").nth(1))
                .hasText("2");
        page.click("#file-list a");
        assertThat(page.url()).endsWith("#file-1");
        PortalBrowser.screenshot(page, "review-2-diff");
        // and "Download patch" gives a git format-patch file that git applies to the repository
        Download download = page.waitForDownload(() -> page.click("#download-patch"));
        assertThat(download.suggestedFilename()).isEqualTo("drydock-" + id + ".patch");
        String patch = Files.readString(download.path());
        assertThat(patch)
                .startsWith("From ")
                .contains("Subject: [PATCH] ")
                .contains("+    return a + b")
                .contains("Drydock-Session: " + id);
        Path clone = Files.createTempDirectory("review-clone-");
        Git.cloneRepository()
                .setURI(DroidTestServices.mirrorRoot
                        .resolve("demo/droid-calc.git")
                        .toUri()
                        .toString())
                .setDirectory(clone.toFile())
                .call()
                .close();
        Files.writeString(clone.resolve("change.patch"), patch);
        Process apply = new ProcessBuilder("git", "apply", "--check", "change.patch")
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(apply.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(apply.exitValue())
                .as(new String(apply.getInputStream().readAllBytes()))
                .isZero();
        // and the API serves the same patch to anyone who may read the session, nobody else
        given().auth()
                .oauth2(Tokens.of("vera"))
                .when()
                .get("/api/sessions/" + id + "/delivery/patch")
                .then()
                .statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("drydock-" + id + ".patch"))
                .body(org.hamcrest.Matchers.equalTo(patch));
        given().auth()
                .oauth2(Tokens.of("otto"))
                .when()
                .get("/api/sessions/" + id + "/delivery/patch")
                .then()
                .statusCode(404);
        page.context().close();
    }

    @Test
    void shouldRecordTheDenialAndMoveOnWhenMemberDeniesTheEditInThePage() {
        // Given mike's code session waiting for the approval of an edit he does not want
        String id = start("mike", "code", "[script:review-deny] Fix add()");
        Page page = browser.signIn("mike", url("/portal/sessions/" + id));
        page.waitForSelector("#approvals .approval button.deny");

        // When he gives a reason and presses Deny
        page.fill("#approvals .approval input[name=reason]", "operands swapped: keep a first");
        page.click("#approvals .approval button.deny");

        // Then the log says so with his reason, nothing waits for approval, and the droid asks what to do instead
        PlaywrightAssertions.assertThat(page.locator("#events li[data-type='action.denied.v1']"))
                .containsText("operands swapped: keep a first");
        PlaywrightAssertions.assertThat(page.locator("#question-box")).isVisible();
        PlaywrightAssertions.assertThat(page.locator("#question-text")).hasText("Then what should add() do?");
        PlaywrightAssertions.assertThat(page.locator("#approvals .approval")).hasCount(0);
        PortalBrowser.screenshot(page, "review-3-denied");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/sessions/" + id)
                .then()
                .statusCode(200)
                .body("files", org.hamcrest.Matchers.empty());
        page.context().close();
    }

    @Test
    void shouldReadDocumentsAsDocumentsWhenKnowledgeDroidAnswersInMarkdownAndSvg() {
        // Given two finished knowledge sessions: one answered in Markdown with markup in it, one with an SVG picture
        String markdown = start("mike", "knowledge", "[script:review-markdown] Which output formats?");
        String svg = start("mike", "knowledge", "[script:review-svg] Draw the logo");
        Page page = browser.signIn("vera", url("/portal/sessions/" + markdown));
        PlaywrightAssertions.assertThat(page.locator("#outcome")).hasText("completed");

        // When vera reads each on its session page
        page.navigate(url("/portal/sessions/" + markdown));
        String markdownHtml = page.locator("#review .markdown").innerHTML();
        PortalBrowser.screenshot(page, "review-4-markdown");
        page.navigate(url("/portal/sessions/" + svg));

        // Then the Markdown is formatted text with its markup shown as text and its script link dropped
        assertThat(markdownHtml)
                .contains("<h1>Output formats</h1>")
                .contains("<strong>Markdown</strong>")
                .contains("<table>")
                .contains("&lt;script&gt;")
                .doesNotContain("<script")
                .doesNotContain("javascript:");
        // and the SVG shows in a sandboxed frame whose content is served under a policy that runs no script
        PlaywrightAssertions.assertThat(page.locator("#review iframe.artifact-frame"))
                .hasAttribute("sandbox", "");
        String src = page.locator("#review iframe.artifact-frame").getAttribute("src");
        assertThat(src).isEqualTo("/portal/sessions/" + svg + "/artifacts/0");
        APIResponse served = page.request().get(url(src));
        assertThat(served.headers().get("content-type")).startsWith("image/svg+xml");
        assertThat(served.headers().get("content-security-policy"))
                .startsWith("sandbox;")
                .contains("default-src 'none'")
                .doesNotContain("script-src");
        PlaywrightAssertions.assertThat(
                        page.frameLocator("#review iframe.artifact-frame").locator("text"))
                .hasText("calc");
        PortalBrowser.screenshot(page, "review-5-svg");
        assertThat(page.evaluate("typeof window.svgXss + typeof window.docXss")).isEqualTo("undefinedundefined");
        page.context().close();
    }

    @Test
    void shouldFindNoSeriousAccessibilityViolationWhenAxeChecksEveryPortalPage() throws InterruptedException {
        // Given a finished session with a change and one with a document, and alice (drydock-admin) signed in with
        // axe-core injectable
        String code = start("mike", "code", "[script:review-approve] Fix add() for axe");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("callId", awaitApproval(code)))
                .when()
                .post("/api/sessions/" + code + "/approve")
                .then()
                .statusCode(200);
        String doc = start("mike", "knowledge", "[script:review-markdown] Which output formats? (axe)");
        Page page = browser.newPage(new Browser.NewContextOptions().setBypassCSP(true));
        browser.signIn(page, "alice", url("/portal"));
        Page member = browser.newPage(new Browser.NewContextOptions().setBypassCSP(true));
        browser.signIn(member, "mike", url("/portal"));
        Map<String, Page> pages = new LinkedHashMap<>();
        for (String path : List.of(
                "/portal",
                "/portal/workspaces/demo",
                "/portal/repositories",
                "/portal/me",
                "/portal/admin/models",
                "/portal/admin/sources",
                "/portal/admin/usage",
                "/portal/admin/egress",
                "/portal/admin/memories",
                "/portal/sessions/" + code,
                "/portal/sessions/" + doc)) {
            pages.put(path, page);
        }
        pages.put("/portal?member", member);

        // When axe checks each page as it is shown
        List<String> violations = new ArrayList<>();
        int shot = 0;
        for (var e : pages.entrySet()) {
            Page p = e.getValue();
            p.navigate(url(e.getKey().replace("?member", "")));
            p.waitForLoadState();
            if (e.getKey().startsWith("/portal/sessions/")) {
                PlaywrightAssertions.assertThat(p.locator("#outcome")).hasText("completed");
            }
            PortalBrowser.screenshot(
                    p,
                    String.format(
                            "page-%02d%s",
                            ++shot,
                            e.getKey()
                                    .replace("/portal", "")
                                    .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "")
                                    .replaceAll("[^a-z0-9]+", "-")
                                    .replaceAll("-$", "")));
            for (String v : Axe.seriousViolations(p)) {
                violations.add(e.getKey() + ": " + v);
            }
        }

        // Then none is serious or critical
        assertThat(violations).as(String.join("\n", violations)).isEmpty();
        page.context().close();
        member.context().close();
    }

    @Test
    void shouldRefuseAdminPagesWhenMemberOpensThem() {
        // Given mike, a member
        Page page = browser.signIn("mike", url("/portal"));

        // When he opens the usage, egress and memories pages
        List<Integer> statuses = new ArrayList<>();
        for (String path : List.of("/portal/admin/usage", "/portal/admin/egress", "/portal/admin/memories")) {
            statuses.add(page.request().get(url(path)).status());
        }
        page.navigate(url("/portal/admin/usage"));

        // Then each answers 403 with a page that says who may see it
        assertThat(statuses).containsOnly(403);
        PlaywrightAssertions.assertThat(page.locator("#problem-detail")).containsText("drydock-admins");
        PlaywrightAssertions.assertThat(page.locator("#nav-usage")).hasCount(0);
        page.context().close();
    }

    @Test
    void shouldListRecentSessionsWithOutcomeTokensAndCostWhenMemberOpensHome() throws InterruptedException {
        // Given a finished code session of mike's
        String id = start("mike", "code", "[script:review-approve] Fix add() from home");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("callId", awaitApproval(id)))
                .when()
                .post("/api/sessions/" + id + "/approve")
                .then()
                .statusCode(200);
        dev.drydock.server.testing.Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/sessions/" + id)
                        .then()
                        .extract()
                        .<String>path("status"),
                "finished"::equals,
                java.time.Duration.ofSeconds(90));

        // When mike and vera (a viewer, who starts no sessions) open the home page
        Page page = browser.signIn("mike", url("/portal"));
        Page viewer = browser.signIn("vera", url("/portal"));

        // Then mike's row shows the outcome, tokens and cost, his workspaces list their repositories, and vera sees the
        // empty state
        var row = page.locator("#recent-sessions tr[data-session='" + id + "']");
        PlaywrightAssertions.assertThat(row).containsText("Fix add() from home");
        PlaywrightAssertions.assertThat(row).containsText("completed");
        PlaywrightAssertions.assertThat(row.locator(".tokens")).hasText("2100");
        PlaywrightAssertions.assertThat(row.locator(".cost")).hasText("0.0020");
        PlaywrightAssertions.assertThat(page.locator("#ws-demo")).containsText("member");
        PortalBrowser.screenshot(page, "home-member");
        PlaywrightAssertions.assertThat(viewer.locator("#no-sessions"))
                .containsText("You have not started a session yet");
        page.context().close();
        viewer.context().close();
    }

    @Test
    void shouldChartTokensPerDayAndSumByUserAndModelWhenAdminOpensUsage() throws InterruptedException {
        // Given a session of mike's that called the scripted model today
        String id = start("mike", "knowledge", "[script:review-markdown] Formats for usage");
        dev.drydock.server.testing.Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/sessions/" + id)
                        .then()
                        .extract()
                        .<String>path("status"),
                "finished"::equals,
                java.time.Duration.ofSeconds(90));

        // When alice opens the usage page for 7 days
        Page page = browser.signIn("alice", url("/portal/admin/usage?days=7"));

        // Then the chart has a bar per day, today's drawn, and the tables sum mike's and the scripted model's tokens
        PlaywrightAssertions.assertThat(page.locator("#usage-chart g.day")).hasCount(7);
        assertThat(Long.parseLong(page.locator("#usage-chart g.day").last().getAttribute("data-tokens")))
                .isPositive();
        assertThat(Integer.parseInt(page.locator("#usage-chart g.day")
                        .last()
                        .locator("rect")
                        .getAttribute("height")))
                .isPositive();
        PlaywrightAssertions.assertThat(page.locator("#by-user tr[data-name='mike']"))
                .hasCount(1);
        PlaywrightAssertions.assertThat(page.locator("#by-model tr[data-name='scripted']"))
                .hasCount(1);
        PlaywrightAssertions.assertThat(page.locator("#by-workspace tr[data-name='demo']"))
                .hasCount(1);
        PortalBrowser.screenshot(page, "admin-usage");
        page.context().close();
    }

    /** The call id of the session's first pending approval, once it waits for one. */
    static String awaitApproval(String id) throws InterruptedException {
        return dev.drydock.server.testing.Poll.until(
                        () -> given().auth()
                                .oauth2(Tokens.of("mike"))
                                .when()
                                .get("/api/sessions/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<Map<String, String>>>path("approvals"),
                        a -> !a.isEmpty(),
                        java.time.Duration.ofSeconds(90),
                        a -> "no approval requested by " + id)
                .get(0)
                .get("callId");
    }
}
