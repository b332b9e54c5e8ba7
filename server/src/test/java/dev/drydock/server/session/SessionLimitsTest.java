package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.drydock.server.eventlog.EventStreams;
import dev.drydock.server.testing.KeycloakAdmin;
import dev.drydock.server.testing.LimitsProfile;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, hole 11: one person or workspace cannot take every session slot, and one person cannot
 * hold open any number of event streams. Each test works in a workspace and with people of its own,
 * so the counts are the test's alone.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class SessionLimitsTest {
    private static final AtomicInteger NEXT = new AtomicInteger();

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventStreams streams;

    @Inject
    DataSource ds;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<InputStream> opened = new ArrayList<>();

    @BeforeAll
    static void scripts() {
        // the droid asks a question and waits for the answer: the session stays going
        DroidTestServices.SCRIPTS.put(
                "limits-wait", script(calls("ask_user", args("question", "Which one?", "options", List.of("a", "b")))));
    }

    @AfterEach
    void closeStreams() throws Exception {
        for (InputStream in : opened) {
            in.close();
        }
    }

    /** A workspace of its own (Keycloak groups and policy row) with members of its own; returns the slug. */
    private String workspace(String... members) throws Exception {
        String slug = "limits-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        KeycloakAdmin.createWorkspace(slug);
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values (?, ?, now(), 'auto-edit')")) {
            ps.setString(1, slug);
            ps.setString(2, slug);
            ps.executeUpdate();
        }
        for (String m : members) {
            KeycloakAdmin.createUser(m, "/workspaces/" + slug + "/members");
        }
        return slug;
    }

    private static String person(String name) {
        return name + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    }

    private static String token(String user) {
        return Tokens.fresh(user, RealServices.TEST_CLIENT);
    }

    private static Response start(String token, String workspace) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", workspace, "droid", "knowledge", "task", "[script:limits-wait] which one"))
                .when()
                .post("/api/sessions");
    }

    private static String started(String token, String workspace) {
        return start(token, workspace).then().statusCode(201).extract().path("id");
    }

    private HttpResponse<InputStream> stream(String token, String session) throws Exception {
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(base.resolve("/api/sessions/" + session + "/events"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        opened.add(r.body());
        return r;
    }

    @Test
    void shouldStartOnlyTheAllowedNumberWhenOnePersonStartsManySessionsAtOnce() throws Exception {
        // Given
        String user = person("lena");
        String ws = workspace(user);
        String token = token(user);
        List<Callable<Response>> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(() -> start(token, ws));
        }

        // When
        List<Response> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> f : pool.invokeAll(requests)) {
                answers.add(f.get());
            }
        }

        // Then
        assertThat(answers).extracting(Response::statusCode).containsOnly(201, 429);
        assertThat(answers).filteredOn(r -> r.statusCode() == 201).hasSize(LimitsProfile.SESSIONS_PER_USER);
        Response refused =
                answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("detail"))
                .contains("You already have 2 sessions going")
                .contains("Wait for one to finish");
    }

    @Test
    void shouldRefuseSessionWithTooManyRequestsWhenItsWorkspaceRunsTheMostItMay() throws Exception {
        // Given three sessions going in the workspace, two of one member and one of another
        String first = person("lars");
        String second = person("lotte");
        String ws = workspace(first, second);
        started(token(first), ws);
        started(token(first), ws);
        String secondToken = token(second);
        started(secondToken, ws);

        // When the second member, below their own limit, starts one more
        Response answer = start(secondToken, ws);

        // Then
        answer.then().statusCode(429).contentType("application/problem+json");
        assertThat(answer.jsonPath().getString("detail")).contains("Workspace " + ws + " already has 3 sessions going");
    }

    @Test
    void shouldSayWhyOnThePortalFormWhenPersonAlreadyRunsTheMostSessions() throws Exception {
        // Given
        String user = person("luis");
        String ws = workspace(user);
        String token = token(user);
        started(token, ws);
        started(token, ws);
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.signIn(
                    user, base.resolve("/portal/workspaces/" + ws).toString());

            // When
            APIResponse response = page.request()
                    .post(
                            base.resolve("/portal/workspaces/" + ws + "/sessions")
                                    .toString(),
                            RequestOptions.create()
                                    .setHeader("Origin", base.toString().replaceFirst("/$", ""))
                                    .setForm(FormData.create()
                                            .set("droid", "knowledge")
                                            .set("task", "[script:limits-wait] a third one")));

            // Then
            assertThat(response.status()).isEqualTo(429);
            assertThat(response.headers().get("content-type")).startsWith("text/html");
            assertThat(response.text())
                    .contains("You already have 2 sessions going")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void shouldRefuseThirdEventStreamOfOnePersonWhenTwoAreOpen() throws Exception {
        // Given
        String user = person("lina");
        String ws = workspace(user);
        String token = token(user);
        String session = started(token, ws);
        String subject = KeycloakAdmin.userId(user);
        stream(token, session);
        stream(token, session);
        Poll.until(() -> streams.openStreams(subject), n -> n == 2, Duration.ofSeconds(10));

        // When
        HttpResponse<InputStream> third = stream(token, session);

        // Then
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(new String(third.body().readAllBytes())).contains("You already have 2 live event streams open");
    }

    @Test
    void shouldAcceptAnotherStreamWhenPersonClosedOneOfTheOpenOnes() throws Exception {
        // Given two open streams, one of which the client closes
        String user = person("linus");
        String ws = workspace(user);
        String token = token(user);
        String session = started(token, ws);
        String subject = KeycloakAdmin.userId(user);
        stream(token, session);
        HttpResponse<InputStream> closed = stream(token, session);
        Poll.until(() -> streams.openStreams(subject), n -> n == 2, Duration.ofSeconds(10));
        closed.body().close();
        Poll.until(() -> streams.openStreams(subject), n -> n == 1, Duration.ofSeconds(30));

        // When
        HttpResponse<InputStream> again = stream(token, session);

        // Then
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(streams.openStreams(subject)).isEqualTo(2);
    }

    @Test
    void shouldRefusePortalStreamWhenPersonHasTwoSessionPagesOpen() throws Exception {
        // Given two tabs of the same person's portal session, each following the session's events
        String user = person("liv");
        String ws = workspace(user);
        String session = started(token(user), ws);
        String url = base.resolve("/portal/sessions/" + session).toString();
        String subject = KeycloakAdmin.userId(user);
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page first = browser.signIn(user, url);
            Page second = first.context().newPage();
            second.navigate(url);
            PlaywrightAssertions.assertThat(second.locator("#events li").first())
                    .isVisible();
            Poll.until(() -> streams.openStreams(subject), n -> n == 2, Duration.ofSeconds(30));

            // When
            APIResponse third = first.request()
                    .get(url + "/events", RequestOptions.create().setHeader("Accept", "text/event-stream"));

            // Then
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(third.text().toLowerCase(Locale.ROOT)).contains("live event streams open");
        }
    }
}
