package dev.drydock.server.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.drydock.server.apikey.ApiKeys;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Me page in a real browser through Keycloak's real login: a person creates an API key (shown
 * once, with a copy button), uses it on {@code /api}, and revokes it. Screenshots land in
 * target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class PortalMeTest {
    @TestHTTPResource("/portal/me")
    URL me;

    @Test
    void shouldShowAWorkingKeyOnceWhenMemberCreatesOneOnTheMePage() {
        try (PortalBrowser browser = PortalBrowser.launch()) {
            // Given mike signed in on the Me page, reached through the nav
            Page page = browser.signIn("mike", me.toString().replaceFirst("/me$", ""));
            List<String> cspViolations = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.text().contains("Content Security Policy")) {
                    cspViolations.add(m.text());
                }
            });
            page.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
            page.click("#nav-me");
            page.waitForSelector("#create-key");

            // When he creates a key named "laptop" for 30 days
            page.fill("#key-name", "laptop");
            page.selectOption("#key-days", "30");
            page.click("#create");
            page.waitForSelector("#new-key-value");

            // Then the page shows the key once, warns that it will not be shown again, and copies it
            String key = page.inputValue("#new-key-value");
            PortalBrowser.screenshot(page, "me-1-key-created");
            assertThat(key).startsWith(ApiKeys.PREFIX).hasSize(43);
            assertThat(page.textContent("#new-key-warning")).contains("only time");
            page.click("#copy-key");
            page.waitForSelector(
                    "#copy-status:not(:empty)"); // a selector, not a JavaScript predicate: the page's CSP forbids eval
            assertThat(page.textContent("#copy-status")).isEqualTo("Copied.");
            assertThat((String) page.evaluate("navigator.clipboard.readText()")).isEqualTo(key);
            // and the key works on /api as mike
            given().header("Authorization", "Bearer " + key)
                    .get("/api/workspaces/demo")
                    .then()
                    .statusCode(200);
            given().header("Authorization", "Bearer " + key)
                    .get("/api/me")
                    .then()
                    .statusCode(200)
                    .body("username", org.hamcrest.Matchers.equalTo("mike"));
            // and the listed page no longer holds it
            page.navigate(me.toString());
            page.waitForSelector("#keys");
            assertThat(page.content())
                    .doesNotContain(key)
                    .contains(key.substring(0, 10))
                    .contains("laptop");
            assertThat(cspViolations).isEmpty();
        }
    }

    @Test
    void shouldRefuseTheKeyWhenMemberRevokesItOnTheMePage() {
        try (PortalBrowser browser = PortalBrowser.launch()) {
            // Given vera signed in on the Me page with a key she just created
            Page page = browser.signIn("vera", me.toString());
            page.fill("#key-name", "to revoke");
            page.click("#create");
            page.waitForSelector("#new-key-value");
            String key = page.inputValue("#new-key-value");
            given().header("Authorization", "Bearer " + key)
                    .get("/api/workspaces/demo")
                    .then()
                    .statusCode(200);
            page.navigate(me.toString());
            String row = page.locator("#keys tr", new Page.LocatorOptions().setHasText(key.substring(0, 10)))
                    .getAttribute("id");

            // When she presses Revoke on its row
            page.click("#" + row + " button");
            page.waitForSelector("#done");

            // Then the page says so, the row is marked revoked, and the key is refused
            PortalBrowser.screenshot(page, "me-2-key-revoked");
            assertThat(page.textContent("#done")).contains("to revoke").contains("revoked");
            assertThat(page.textContent("#" + row)).contains("revoked");
            given().header("Authorization", "Bearer " + key)
                    .get("/api/workspaces/demo")
                    .then()
                    .statusCode(401)
                    .body("detail", org.hamcrest.Matchers.containsString("revoked"));
        }
    }
}
