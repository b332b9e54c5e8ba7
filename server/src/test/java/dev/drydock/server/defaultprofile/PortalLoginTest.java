package dev.drydock.server.defaultprofile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import com.microsoft.playwright.Page;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class PortalLoginTest {
    @TestHTTPResource("/portal")
    URL portal;

    @Test
    void shouldRedirectAnonymousVisitorToKeycloakWithPkce() {
        // When
        var response = given().redirects().follow(false).when().get("/portal");

        // Then
        response.then()
                .statusCode(302)
                .header(
                        "Location",
                        allOf(
                                containsString(
                                        RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/auth"),
                                containsString("client_id=drydock-portal"),
                                containsString("code_challenge_method=S256")));
    }

    @Test
    void shouldShowNameRolesAndWorkspacesAfterRealKeycloakLogin() {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {

            // When
            Page page = browser.signIn("wanda", portal.toString());
            page.waitForSelector("#workspaces");

            // Then
            PortalBrowser.screenshot(page, "portal-home");
            assertThat(page.url()).startsWith(portal.toString());
            assertThat(page.textContent("#user-name")).isEqualTo("Wanda Workspace");
            assertThat(page.textContent("#roles")).contains("workspace-admin");
            assertThat(page.textContent("#workspaces")).contains("demo").contains("admin");
            assertThat(page.getAttribute("#workspaces a", "href")).isEqualTo("/portal/workspaces/demo");
        }
    }
}
