package dev.drydock.server.defaultprofile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class PortalLoginTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("drydock.test.chromium", "/usr/bin/chromium"));

    @TestHTTPResource("/portal")
    URL portal;

    @Test
    void shouldRedirectAnonymousVisitorToKeycloakWithPkce() {
        // When
        var response = given().redirects().follow(false).when().get("/portal");

        // Then
        response.then()
                .statusCode(302)
                .header("Location", allOf(
                        containsString(RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/auth"),
                        containsString("client_id=drydock-portal"),
                        containsString("code_challenge_method=S256")));
    }

    @Test
    void shouldShowNameRolesAndWorkspacesAfterRealKeycloakLogin() throws Exception {
        // Given
        assertThat(CHROMIUM).as("Debian's chromium (./drydock test installs it)").exists();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                                "--disable-sync", "--no-first-run", "--disable-quic")))) {
            Page page = browser.newPage();

            // When
            page.navigate(portal.toString());
            page.waitForSelector("#username");
            page.fill("#username", "wanda");
            page.fill("#password", "wanda-pass");
            page.click("#kc-login");
            page.waitForSelector("#workspaces");

            // Then
            Path shots = Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("portal-home.png")).setFullPage(true));
            assertThat(page.url()).startsWith(portal.toString());
            assertThat(page.textContent("#user-name")).isEqualTo("Wanda Workspace");
            assertThat(page.textContent("#roles")).contains("workspace-admin");
            assertThat(page.textContent("#workspaces")).contains("demo").contains("admin");
        }
    }
}
