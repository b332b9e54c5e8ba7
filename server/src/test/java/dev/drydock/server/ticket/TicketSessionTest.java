package dev.drydock.server.ticket;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions from a Jira Data Center ticket, end to end: the Jira is the contract fake of its REST API
 * v2 (Jira Software Data Center 9.12), the droid the real session runner with the scripted model in a
 * real sandbox. The ticket's summary becomes the task, its description, comments and text attachment
 * reach the model, and the outcome is commented back on the issue with the session link; unknown
 * issues, an unreachable Jira and hosts off the allow-list are problem+json.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class TicketSessionTest {
    @TestHTTPResource("/")
    URI base;

    static final String TOKEN = "jira-pat-" + ProcessHandle.current().pid();
    static final String SECRET = "jira-token-" + ProcessHandle.current().pid();
    static JiraDataCenterFake jira;

    @Inject
    DataSource ds;

    @Inject
    EventLog log;

    @BeforeEach
    void connected() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "update workspace set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal' where slug = 'demo'")) {
            ps.executeUpdate();
        }
        if (jira == null) {
            jira = new JiraDataCenterFake(TOKEN);
            jira.issue(
                    "PROJ-12",
                    "[script:jira-ticket] add() subtracts instead of adding",
                    "Steps to reproduce:\n# call add(2, 3)\n# it returns -1\n\n*Expected:* 5 (calc.py, line 2)",
                    List.<String[]>of(
                            new String[] {"Tom Tester", "Seen on 1.4.2 as well, see the attached log."},
                            new String[] {"Petra Product", "Please keep mul() unchanged."}),
                    List.<Object[]>of(
                            new Object[] {
                                "add-trace.log",
                                "text/plain",
                                "add(2, 3) = -1\nadd(0, 1) = -1\n".getBytes(StandardCharsets.UTF_8)
                            },
                            new Object[] {"screenshot.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}}));
            DroidTestServices.SCRIPTS.put(
                    "jira-ticket",
                    script(
                            calls(
                                    "edit_file",
                                    args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                            calls("finish", args("summary", "Fix add(): it subtracted."))));
        }
        as("wanda")
                .body(Map.of("value", TOKEN))
                .put("/api/workspaces/demo/secrets/" + SECRET)
                .then()
                .statusCode(200);
        as("wanda")
                .body(Map.of("baseUrl", jira.base(), "secret", SECRET, "projects", List.of("PROJ")))
                .put("/api/workspaces/demo/tickets/jira")
                .then()
                .statusCode(200);
    }

    @AfterEach
    void disconnect() {
        as("wanda").delete("/api/workspaces/demo/tickets/jira");
        as("wanda").delete("/api/workspaces/demo/secrets/" + SECRET);
    }

    @AfterAll
    static void stop() {
        if (jira != null) {
            jira.close();
        }
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(Tokens.of(user)).contentType(ContentType.JSON);
    }

    static Response start(String ticket) {
        return as("mike")
                .body(Map.of("ticket", ticket, "repo", "droid-calc"))
                .post("/api/workspaces/demo/tickets/sessions");
    }

    @Test
    void shouldCommentOutcomeOnIssueWhenSessionFromJiraTicketFinishes() throws Exception {
        // When
        Response started = start(jira.base() + "/browse/PROJ-12");

        // Then the summary is the task, the rest is attached, and the outcome goes back on the issue
        started.then()
                .statusCode(201)
                .body("source", equalTo("jira"))
                .body("ticket", equalTo("PROJ-12"))
                .body("ticketUrl", equalTo(jira.base() + "/browse/PROJ-12"))
                .body("session.droid", equalTo("code"))
                .body("session.repo", equalTo("droid-calc"))
                .body("skipped[0]", containsString("screenshot.png"));
        String id = started.then().extract().path("session.id");
        String comment = Poll.until(
                () -> jira.comments.stream()
                        // the comment of this session: other tests comment on PROJ-12 too
                        .filter(c -> c.startsWith("PROJ-12: ") && c.contains("/portal/sessions/" + id))
                        .findFirst()
                        .orElse(""),
                c -> !c.isEmpty(),
                Duration.ofSeconds(120),
                c -> "comments " + jira.comments + "\n" + story(id));
        assertThat(comment)
                .contains("Drydock session completed")
                .contains("Fix add(): it subtracted.")
                .contains("/portal/sessions/" + id);
        assertThat(jira.received).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        String task = log.readAll(id).stream()
                .map(e -> e.payload())
                .filter(p -> p instanceof Lifecycle.SessionStarted)
                .map(p -> ((Lifecycle.SessionStarted) p).task())
                .findFirst()
                .orElseThrow();
        assertThat(task)
                .startsWith("[script:jira-ticket] add() subtracts instead of adding")
                .doesNotContain("Steps to reproduce");
        assertThat(String.join("\n", DroidTestServices.RECEIVED))
                .contains("Steps to reproduce")
                .contains("Please keep mul() unchanged.")
                .contains("add(0, 1) = -1");
    }

    @Test
    void shouldAnswer422NamingKeyWhenJiraHasNoSuchIssue() {
        // When
        Response r = start("PROJ-999");

        // Then
        r.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:ticket-not-found"))
                .body("detail", containsString("PROJ-999"));
    }

    @Test
    void shouldAnswer422WhenProjectIsNotOneOfTheConnection() {
        // When
        Response r = start("OTHER-1");

        // Then
        r.then().statusCode(422).contentType("application/problem+json").body("detail", containsString("OTHER"));
    }

    @Test
    void shouldAnswer502WithReasonWhenJiraIsDown() throws Exception {
        // Given a connection to a Jira that does not answer
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        as("wanda")
                .body(Map.of("baseUrl", "http://localhost:" + closed, "secret", SECRET))
                .put("/api/workspaces/demo/tickets/jira")
                .then()
                .statusCode(200);

        // When
        Response r = start("PROJ-12");

        // Then
        r.then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:ticket-server-error"))
                .body("detail", containsString("cannot be reached"));
    }

    @Test
    void shouldAnswer422WhenJiraHostIsNotOnAllowList() {
        // When
        Response r = as("wanda")
                .body(Map.of("baseUrl", "https://jira.elsewhere.example", "secret", SECRET))
                .put("/api/workspaces/demo/tickets/jira");

        // Then
        r.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:host-not-allowed"))
                .body("detail", containsString("jira.elsewhere.example"));
    }

    @Test
    void shouldAnswer502WhenJiraRefusesTheToken() {
        // Given the secret holds a token Jira does not know
        as("wanda")
                .body(Map.of("value", "revoked-token"))
                .put("/api/workspaces/demo/secrets/" + SECRET)
                .then()
                .statusCode(200);

        // When
        Response r = start("PROJ-12");

        // Then
        r.then().statusCode(502).contentType("application/problem+json").body("detail", containsString("401"));
    }

    @Test
    void shouldAnswer409WhenWorkspaceHasNoJiraConnection() {
        // Given
        as("wanda").delete("/api/workspaces/demo/tickets/jira").then().statusCode(204);

        // When
        Response r = start("PROJ-12");

        // Then
        r.then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drydock:problem:jira-not-configured"));
    }

    String story(String id) {
        StringBuilder out = new StringBuilder();
        log.readAll(id)
                .forEach(e -> out.append(e.seq())
                        .append(' ')
                        .append(
                                String.valueOf(e.payload()),
                                0,
                                Math.min(String.valueOf(e.payload()).length(), 300))
                        .append('\n'));
        return out.toString();
    }

    @Test
    void shouldOpenTheSessionOfTheTicketWhenMemberStartsItFromTheWorkspacePage() throws Exception {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn(
                    "mike", base.resolve("/portal/workspaces/demo").toString());
            page.fill("#ticket", "PROJ-12");
            page.selectOption("#ticket-droid", "code");
            page.selectOption("#ticket-repo", "droid-calc");

            // When
            page.click("#start-from-ticket");

            // Then the session page opens with the ticket's key and summary as its title, and the outcome
            // goes back on the ticket
            page.waitForURL(Pattern.compile(".*/portal/sessions/[0-9a-f-]{36}$"));
            String id = page.url().substring(page.url().lastIndexOf('/') + 1);
            assertThat(page.content()).contains("PROJ-12: [script:jira-ticket] add() subtracts instead of adding");
            String comment = Poll.until(
                    () -> jira.comments.stream()
                            .filter(c -> c.contains("/portal/sessions/" + id))
                            .findFirst()
                            .orElse(""),
                    c -> !c.isEmpty(),
                    Duration.ofSeconds(120),
                    c -> "comments " + jira.comments + "\n" + story(id));
            assertThat(comment).startsWith("PROJ-12: ").contains("Drydock session completed");
        }
    }

    @Test
    void shouldShowWhyInTheFormWithTheServicesStatusWhenJiraHasNoSuchIssue() throws Exception {
        // Given
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn(
                    "mike", base.resolve("/portal/workspaces/demo").toString());

            // When
            APIResponse r = page.request()
                    .post(
                            base.resolve("/portal/workspaces/demo/ticket-sessions")
                                    .toString(),
                            RequestOptions.create()
                                    .setHeader("Origin", base.toString().replaceFirst("/$", ""))
                                    .setForm(FormData.create()
                                            .set("ticket", "PROJ-999")
                                            .set("droid", "code")
                                            .set("repo", "droid-calc")));

            // Then the page comes back with the reason next to the ticket, and what was entered
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.headers().get("content-type")).startsWith("text/html");
            assertThat(r.text())
                    .contains("id=\"ticket-error\"")
                    .contains("PROJ-999")
                    .contains("value=\"PROJ-999\"")
                    .doesNotContain("Exception");
        }
    }
}
