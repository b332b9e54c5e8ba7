package dev.drydock.server.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.Axe;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The search page and code view, the governance pages (routes, budgets, classification and egress,
 * audit), a workspace admin's settings and the dark theme, in a real Chromium through Keycloak's real
 * login. Screenshots land in target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class PortalSearchAndAdminTest {
    /** The local root of the test profile ({@code drydock.repos.local-roots}). */
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");

    private static final String REPO = "search-ledger";

    @TestHTTPResource("/")
    URI base;

    @Inject
    AuditTrail audit;

    static PortalBrowser browser;
    static boolean registered;
    /** Where the server answers, kept for {@link #removeRepository} (RestAssured's port is unset after the last test). */
    static @org.jspecify.annotations.Nullable URI server;

    @BeforeAll
    static void launchBrowser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        browser = PortalBrowser.launch();
    }

    /** Demo's repository to search, registered and indexed once for the class (the server runs by now). */
    @BeforeEach
    void indexedRepository() throws Exception {
        if (registered) {
            return;
        }
        Path dir = Files.createDirectories(
                ROOT.resolve("search-" + ProcessHandle.current().pid()));
        if (!Files.exists(dir.resolve(".git"))) {
            Files.writeString(
                    dir.resolve("ledger.py"),
                    "import os\n\n\ndef post_entry(book, amount):\n    \"\"\"Post an amount to the ledger book.\"\"\"\n"
                            + "    book.append(amount)\n    return sum(book)\n\n\ndef reconcile_ledger(book, statement):\n"
                            + "    return sum(book) == statement\n");
            try (Git git = Git.init()
                    .setDirectory(dir.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern(".").call();
                git.commit()
                        .setMessage("ledger")
                        .setAuthor("t", "t@example.test")
                        .setCommitter("t", "t@example.test")
                        .call();
            }
        }
        int status = given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", REPO, "path", dir.toString(), "branch", "main"))
                .when()
                .post("/api/workspaces/demo/repositories")
                .statusCode();
        server = base;
        assertThat(status).isIn(201, 409);
        Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("wanda"))
                        .when()
                        .get("/api/workspaces/demo/repositories/" + REPO)
                        .then()
                        .extract()
                        .<String>path("status"),
                "ready"::equals,
                Duration.ofSeconds(180));
        registered = true;
    }

    /** Removes demo's repository again: other classes of this JVM search and look up in demo too. */
    @AfterAll
    static void removeRepository() {
        URI at = server;
        if (registered && at != null) {
            given().auth()
                    .oauth2(Tokens.of("wanda"))
                    .when()
                    .delete(at.resolve("/api/workspaces/demo/repositories/" + REPO))
                    .then()
                    .statusCode(org.hamcrest.Matchers.oneOf(204, 404));
            registered = false;
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    String url(String path) {
        return base.resolve(path).toString();
    }

    @Test
    void shouldFindTheFunctionAndOpenItsLinesHighlightedWhenViewerSearches() {
        // Given vera, a viewer of demo, on the search page
        Page page = browser.signIn("vera", url("/portal/search"));

        // When she searches for the reconciliation and opens the first hit
        page.fill("#q", "reconcile_ledger statement");
        page.click("#search");
        page.waitForSelector("#results");
        String firstHit = page.textContent("#hit-1 .result-head");
        String ranges = page.textContent("#hit-1 .ranges");
        int snippetHits = page.locator("#hit-1 table.snippet tr.hit").count();
        List<String> marked = page.locator("#hit-1 table.snippet .term").allTextContents();
        PortalBrowser.screenshot(page, "search-1-results");
        page.click("#hit-1 .result-link");
        page.waitForSelector("#code");

        // Then the hit names the file and its lines, and the code view shows the file at the indexed commit with the
        // hit's lines marked and highlighted
        PortalBrowser.screenshot(page, "search-2-code-view");
        assertThat(firstHit).contains("demo / " + REPO).contains("ledger.py");
        assertThat(ranges).containsPattern("lines? \\d+");
        assertThat(snippetHits).isPositive();
        assertThat(marked).contains("reconcile_ledger", "statement");
        assertThat(page.textContent("#code-path")).isEqualTo("ledger.py");
        assertThat(String.join("\n", page.locator("#code tr.hit").allTextContents()))
                .contains("reconcile_ledger");
        assertThat(page.locator("#code .tok-keyword").first().textContent()).isEqualTo("import");
        assertThat(page.url()).contains("#L");
        page.context().close();
    }

    @Test
    void shouldShowNoHitOfDemoWhenOutsiderSearchesOrOpensItsCode() {
        // Given bruno, outside demo
        Page page = browser.signIn("bruno", url("/portal/search"));

        // When he searches for demo's function and opens its file's code view by URL
        page.navigate(url("/portal/search?q=reconcile_ledger"));
        String results = page.textContent("main");
        int status = page.request()
                .get(url("/portal/search/code?workspace=demo&repo=" + REPO + "&path=ledger.py"))
                .status();

        // Then nothing of demo shows, and the code view answers 404 as for a workspace that does not exist
        assertThat(results).doesNotContain(REPO).doesNotContain("ledger.py");
        assertThat(status).isEqualTo(404);
        page.context().close();
    }

    @Test
    void shouldSaveRouteAndBudgetAndFindBothInTheAuditTrailWhenAdminUsesTheForms() throws Exception {
        // Given alice, a drydock-admin, on the routes page
        long before = audit.verify().checked();
        Page page = browser.signIn("alice", url("/portal/admin/routes"));

        // When she saves a route, adds a budget and verifies the audit chain
        page.fill("#name", "portal-knowledge");
        page.fill("#droid", "knowledge");
        page.fill("#purpose", "portal-test");
        page.fill("#endpoints", "scripted");
        page.check("#override");
        page.fill("#overrideReason", "portal test: the scripted model is a test double");
        page.click("#save-route");
        page.waitForSelector("#done");
        String routes = page.textContent("#routes");
        page.click("#nav-budgets");
        page.waitForSelector("#budget-form");
        page.selectOption("#scope", "workspace");
        page.fill("#subject", "portal-nowhere");
        page.fill("#maxTokens", "not a number");
        page.click("#add-budget");
        page.waitForSelector("#maxTokens-error");
        String tokensError = page.textContent("#maxTokens-error");
        page.fill("#maxTokens", "500000");
        page.click("#add-budget");
        page.waitForSelector("#done");
        String budgets = page.textContent("#budgets");
        PortalBrowser.screenshot(page, "admin-budgets");
        page.click("#nav-audit");
        page.click("#verify");
        page.waitForSelector("#verification");
        String verification = page.textContent("#verification");
        page.fill("#f-action", "model-");
        page.click("#filter");
        page.waitForSelector("#audit-records");
        List<String> actions = page.locator("#audit-records tr").allInnerTexts();
        PortalBrowser.screenshot(page, "admin-audit");

        // Then the route and the budget are listed, the bad number was refused next to its field, the chain is
        // intact, and both changes are in it
        assertThat(routes).contains("portal-knowledge").contains("portal-test").contains("scripted");
        assertThat(tokensError).contains("whole number");
        assertThat(budgets).contains("portal-nowhere").contains("500000");
        assertThat(verification).startsWith("Intact");
        assertThat(String.join("\n", actions)).contains("model-route.saved").contains("model-budget.created");
        assertThat(audit.page(before, 1000, null))
                .extracting(r -> r.action())
                .contains("model-route.saved", "model-budget.created");
        page.context().close();
    }

    @Test
    void shouldAddAndRemoveAWebhookWhenWorkspaceAdminUsesTheSettingsPage() throws Exception {
        // Given wanda, admin of demo, with a signing secret stored, and the receiver's host on the allow-list
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("host", "hooks.portal-test.example", "reason", "portal test receiver"))
                .when()
                .post("/api/admin/model-hosts")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of("value", "portal-signing-key"))
                .when()
                .put("/api/workspaces/demo/secrets/portal-hooks")
                .then()
                .statusCode(200);
        long before = audit.verify().checked();
        Page page = browser.signIn("wanda", url("/portal/workspaces/demo"));

        // When she opens the settings, adds a webhook without a secret (refused), then with it, and removes it
        page.click("#workspace-settings");
        page.waitForSelector("#webhook-form");
        page.fill("#url", "https://hooks.portal-test.example/portal-test");
        page.click("#add-webhook");
        page.waitForSelector("#secret-error");
        String secretError = page.textContent("#secret-error");
        page.fill("#secret", "portal-hooks");
        page.click("#add-webhook");
        page.waitForSelector("#done");
        String hooks = page.textContent("#webhooks");
        PortalBrowser.screenshot(page, "workspace-settings");
        page.click("#webhooks tr:has-text('portal-test') button.danger");
        page.waitForSelector("#done");
        String after = page.textContent("main");

        // Then the refusal was shown next to the field, the webhook was listed, then gone, and both changes audited
        assertThat(secretError).isNotBlank();
        assertThat(hooks)
                .contains("https://hooks.portal-test.example/portal-test")
                .contains("session.finished");
        assertThat(after).contains("removed");
        assertThat(page.locator("#webhooks tr:has-text('portal-test')").count()).isZero();
        assertThat(audit.page(before, 1000, "demo"))
                .extracting(r -> r.action())
                .contains("webhook.created", "webhook.deleted");
        page.context().close();
    }

    @Test
    void shouldRefuseGovernanceAndSettingsPagesWhenMemberOpensThem() {
        // Given mike, a member of demo
        Page page = browser.signIn("mike", url("/portal"));

        // When he opens the admin pages and demo's settings
        List<Integer> statuses = new ArrayList<>();
        for (String path : List.of(
                "/portal/admin/routes",
                "/portal/admin/budgets",
                "/portal/admin/policy",
                "/portal/admin/audit",
                "/portal/admin/audit/export",
                "/portal/workspaces/demo/settings")) {
            statuses.add(page.request().get(url(path)).status());
        }

        // Then each answers 403, and neither the admin links nor the settings link are shown to him
        assertThat(statuses).containsOnly(403);
        page.navigate(url("/portal/workspaces/demo"));
        assertThat(page.locator("#workspace-settings").count()).isZero();
        assertThat(page.locator("#nav-audit").count()).isZero();
        page.context().close();
    }

    @Test
    void shouldSaveWorkspacesDroidsAndRoutesWhenAdminUsesThePolicyForm() {
        // Given a workspace of its own, allowing every droid and every route
        String slug = "policy-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("slug", slug, "displayName", "Policy form"))
                .when()
                .post("/api/workspaces")
                .then()
                .statusCode(201);
        Page page = browser.signIn("alice", url("/portal/admin/policy"));

        // When alice unchecks the reliability droid and names one route
        page.uncheck("#droid-" + slug + "-reliability");
        page.fill("#routes-" + slug, "default");
        page.click("tr[data-workspace='" + slug + "'] button[type=submit]");
        page.waitForSelector("#done");

        // Then the workspace's policy holds both, as the API reads it
        Map<String, Object> policy = given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/workspaces/" + slug)
                .then()
                .statusCode(200)
                .extract()
                .path("policy");
        assertThat(policy.get("allowedDroids")).isEqualTo(List.of("code", "knowledge"));
        assertThat(policy.get("allowedRoutes")).isEqualTo(List.of("default"));
        page.context().close();
    }

    @Test
    void shouldRememberTheDarkThemeForThePersonWhenTheyToggleIt() {
        // Given mike on his home page in a light system theme
        Page page = browser.signIn(
                browser.newPage(new Browser.NewContextOptions().setColorScheme(ColorScheme.LIGHT)),
                "mike",
                url("/portal"));
        String initial = (String) page.evaluate("document.documentElement.dataset.theme");

        // When he switches to the dark theme
        page.waitForResponse(
                r -> r.url().endsWith("/portal/me/theme") && r.status() == 204, () -> page.click("#theme-toggle"));

        // Then the page turns dark, and stays dark on the next page he opens
        page.navigate(url("/portal/search"));
        assertThat(initial).isEqualTo("light");
        assertThat(page.evaluate("document.documentElement.dataset.theme")).isEqualTo("dark");
        assertThat(page.getAttribute("#theme-toggle", "aria-pressed")).isEqualTo("true");
        assertThat(page.evaluate("getComputedStyle(document.body).backgroundColor"))
                .isEqualTo("rgb(18, 21, 27)");
        forgetTheme(page);
        page.context().close();
    }

    @Test
    void shouldDrawEveryPageInTheSavedThemeWhenThePersonSignsInFromAnotherBrowser() {
        // Given wanda chose the dark theme in one browser, on a light system
        Page first = browser.signIn(
                browser.newPage(new Browser.NewContextOptions().setColorScheme(ColorScheme.LIGHT)),
                "wanda",
                url("/portal"));
        first.waitForResponse(
                r -> r.url().endsWith("/portal/me/theme") && r.status() == 204, () -> first.click("#theme-toggle"));

        // When she signs in from a second browser (its own cookies and storage), also on a light system
        Page second = browser.signIn(
                browser.newPage(new Browser.NewContextOptions().setColorScheme(ColorScheme.LIGHT)),
                "wanda",
                url("/portal/workspaces/demo"));

        // Then the server drew the page dark before any script ran, on this page and the next
        String html = second.request().get(url("/portal/search")).text();
        assertThat(html).contains("data-theme=\"dark\"");
        assertThat(second.evaluate("window.localStorage.length")).isEqualTo(0);
        assertThat(second.evaluate("document.documentElement.dataset.theme")).isEqualTo("dark");
        assertThat(second.getAttribute("#theme-toggle", "aria-pressed")).isEqualTo("true");
        assertThat(second.evaluate("getComputedStyle(document.body).backgroundColor"))
                .isEqualTo("rgb(18, 21, 27)");
        forgetTheme(second);
        first.context().close();
        second.context().close();
    }

    /** Forgets the person's saved theme on the server, so that other tests see the system's again. */
    private void forgetTheme(Page page) {
        assertThat(page.request()
                        .post(
                                url("/portal/me/theme"),
                                com.microsoft.playwright.options.RequestOptions.create()
                                        .setHeader("Origin", base.toString().replaceFirst("/$", ""))
                                        .setForm(com.microsoft.playwright.options.FormData.create()
                                                .set("theme", "system")))
                        .status())
                .isEqualTo(204);
    }

    @Test
    void shouldFindNoSeriousAccessibilityViolationWhenAxeChecksTheNewPagesInLightAndDarkThemes() {
        // Given alice signed in twice, in a light and in a dark system theme, with axe-core injectable
        Page light = browser.newPage(
                new Browser.NewContextOptions().setBypassCSP(true).setColorScheme(ColorScheme.LIGHT));
        browser.signIn(light, "alice", url("/portal"));
        Page dark = browser.newPage(
                new Browser.NewContextOptions().setBypassCSP(true).setColorScheme(ColorScheme.DARK));
        browser.signIn(dark, "alice", url("/portal"));
        List<String> paths = List.of(
                "/portal/search?q=post_entry",
                "/portal/search/code?workspace=demo&repo=" + REPO + "&path=ledger.py&from=4&to=7",
                "/portal/admin/routes",
                "/portal/admin/budgets",
                "/portal/admin/policy",
                "/portal/admin/audit",
                "/portal/workspaces/demo/settings",
                "/portal",
                "/portal/repositories",
                "/portal/admin/models");

        // When axe checks each page in both themes
        List<String> violations = new ArrayList<>();
        for (Page p : List.of(light, dark)) {
            String theme = p == light ? "light" : "dark";
            for (String path : paths) {
                p.navigate(url(path));
                p.waitForLoadState();
                PortalBrowser.screenshot(
                        p,
                        "theme-" + theme
                                + path.replace("/portal", "")
                                        .replaceAll("\\?.*", "")
                                        .replaceAll("[^a-z0-9]+", "-")
                                        .replaceAll("-$", ""));
                for (String v : Axe.seriousViolations(p)) {
                    violations.add(theme + " " + path + ": " + v);
                }
            }
        }

        // Then none is serious or critical, and the dark context was drawn dark
        assertThat(violations).as(String.join("\n", violations)).isEmpty();
        assertThat(dark.evaluate("document.documentElement.dataset.theme")).isEqualTo("dark");
        light.context().close();
        dark.context().close();
    }
}
