package dev.drydock.server.auth;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static dev.drydock.server.session.DroidTestServices.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalSignIn;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix: every route of {@code /api}, {@code /portal} and {@code /v1} × seven
 * callers, each request aimed at resources that exist in workspace A ({@code demo}): a finished
 * session with an artifact and an event stream, a registered repository with delivery settings, a
 * workspace secret, memories, the callers' API keys, model endpoints, routes, budgets and sources.
 * So every cell ends in a real authorization decision, not in "no such thing".
 *
 * <p>The routes are discovered, not listed by hand: the JAX-RS resource methods from a Jandex index of
 * the server's classes (API, portal pages, portal form POSTs, SSE streams) and the {@code /v1} routes
 * from the Vert.x router. A route without a row (or a row without a route) fails
 * {@link #shouldHaveARowForEveryRouteWhenRoutesAreDiscovered}.
 *
 * <p>The rule each row encodes (docs/security.md, "Authorization"):
 *
 * <ul>
 *   <li>{@code U}: no credential: 401 on {@code /api} and {@code /v1}, a redirect to Keycloak's sign-in on {@code /portal};
 *   <li>{@code H}: the caller is outside the resource's workspace: 404, exactly as for a resource that
 *       does not exist (the workspace and its contents are hidden), also for a drydock-admin's personal
 *       things (another person's API key);
 *   <li>{@code F}: the caller sees the workspace but their role is too low (viewers read, members act,
 *       workspace admins configure), or the route is for drydock-admins: 403; a portal form sent from
 *       another origin: 403;
 *   <li>{@code A}: allowed: the caller got past authorization (2xx, a redirect inside Drydock, or a 400/409
 *       about the request or the resource's state, e.g. cancelling a finished session).
 * </ul>
 *
 * <p>Callers, in the column order of each row's expectation: anonymous, vera (viewer of A), mike (member
 * of A), wanda (admin of A), bruno (member of B = {@code other}), otto (admin of B), alice
 * (drydock-admin). API and /v1 rows send real Keycloak access tokens; portal rows use the portal's own
 * cookie session, signed in through Keycloak's login form, and send {@code Origin} as a browser does.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class AuthorizationMatrixTest {
    /** The callers, in the column order of {@link Row#expected}. */
    enum Caller {
        ANONYMOUS(null),
        VIEWER_A("vera"),
        MEMBER_A("mike"),
        ADMIN_A("wanda"),
        MEMBER_B("bruno"),
        ADMIN_B("otto"),
        DRYDOCK_ADMIN("alice");

        final @Nullable String user;

        Caller(@Nullable String user) {
            this.user = user;
        }

        String label() {
            return user == null ? "anonymous" : user;
        }
    }

    /** How a row sends its caller's credential. */
    enum Channel {
        /** {@code Authorization: Bearer <access token>}. */
        BEARER,
        /** The portal's cookie session; unsafe methods carry this server's {@code Origin}, as a browser sends it. */
        PORTAL
    }

    /** One concrete request. */
    record Call(
            String method,
            String path,
            @Nullable String body,
            @Nullable String contentType,
            Map<String, String> headers) {}

    /**
     * One cell line: a route (as discovered), a variant label (empty for the plain case), how the
     * credential is sent, the request per caller (destructive rows make a fresh target per caller), and
     * the expected outcome per caller as seven letters (U, H, F, A; see the class comment).
     */
    record Row(
            String route,
            String variant,
            Channel channel,
            Function<Caller, Call> call,
            String expected,
            Supplier<String> secretOfA) {
        Row {
            if (expected.length() != Caller.values().length || !expected.matches("[UHFA]+")) {
                throw new IllegalArgumentException(
                        route + ": expected needs one of U, H, F, A per caller: " + expected);
            }
        }

        /** The same row, whose answers to callers outside A (allowed ones too, e.g. lists) must not contain {@code secret}. */
        Row hiding(Supplier<String> secret) {
            return new Row(route, variant, channel, call, expected, secret);
        }

        String name() {
            return variant.isEmpty() ? route : route + " [" + variant + "]";
        }
    }

    private static final String A = "demo";
    private static final String B = "other";
    private static final String REPO = "matrix-repo";
    private static final String SECRET = "matrix-secret";
    private static final String ENDPOINT = "scripted";
    private static final Path LOCAL_ROOT = Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos");
    private static final AtomicInteger FRESH = new AtomicInteger();

    /** What the rows point at; made once per test JVM by {@link #resources()}. */
    private static volatile boolean ready;

    private static @Nullable AssertionError broken;
    private static String sessionA = "";
    private static String sessionB = "";
    private static String repoPath = "";
    private static String policyA = "";
    private static String scriptedUrl = "";
    private static final Map<Caller, HttpClient> BROWSERS = new EnumMap<>(Caller.class);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @TestHTTPResource("/")
    URI base;

    @Inject
    DataSource ds;

    @Inject
    RouterRoutes router;

    /** Keeps the Vert.x router, whose routes the front door adds, so that the test can list them. */
    @ApplicationScoped
    static class RouterRoutes {
        private volatile @Nullable Router router;

        void capture(@Observes Router r) {
            router = r;
        }

        List<Route> routes() {
            Router r = router;
            return r == null ? List.of() : r.getRoutes();
        }
    }

    /** Makes the resources the rows point at, once per test JVM. */
    private void resources() throws Exception {
        if (ready) {
            return;
        }
        if (broken != null) {
            throw broken;
        }
        try {
            prepare();
        } catch (Exception | AssertionError e) {
            broken = new AssertionError("the matrix's resources could not be made", e);
            throw broken;
        }
        ready = true;
    }

    private void prepare() throws Exception {
        // The policy the session tests give demo: droids may run, every route allowed, classified internal.
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
        DroidTestServices.SCRIPTS.put(
                "matrix-doc",
                script(calls(
                        "finish", args("title", "Matrix", "document", "# Matrix\n\nA document the matrix reads."))));
        DroidTestServices.SCRIPTS.put("matrix-chat", script(text("hello from the scripted model")));
        scriptedUrl = ConfigProvider.getConfig().getValue("drydock.gateway.endpoints.scripted.base-url", String.class);

        // a repository of A, registered by its admin from a local root, with delivery settings and a secret
        Path repo = Files.createDirectories(
                LOCAL_ROOT.resolve("matrix-" + ProcessHandle.current().pid()));
        if (!Files.exists(repo.resolve(".git"))) {
            Files.writeString(repo.resolve("calc.py"), "def add(a, b):\n    return a + b\n");
            try (Git git = Git.init()
                    .setDirectory(repo.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern(".").call();
                git.commit()
                        .setMessage("calc")
                        .setAuthor("t", "t@example.test")
                        .setCommitter("t", "t@example.test")
                        .call();
            }
        }
        repoPath = repo.toString();
        as("wanda")
                .body(Map.of("name", REPO, "path", repoPath, "branch", "main"))
                .post("/api/workspaces/" + A + "/repositories")
                .then()
                .statusCode(201);
        as("wanda")
                .body(Map.of("value", "matrix-value"))
                .put("/api/workspaces/" + A + "/secrets/" + SECRET)
                .then()
                .statusCode(200);
        as("wanda")
                .body(delivery())
                .put("/api/workspaces/" + A + "/repositories/" + REPO + "/delivery")
                .then()
                .statusCode(200);
        policyA = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(as("alice")
                        .get("/api/workspaces/" + A)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("policy"));

        // a finished session of A with an artifact (its event stream exists), and one of B
        sessionA = as("mike")
                .body(Map.of(
                        "workspace",
                        A,
                        "droid",
                        "knowledge",
                        "task",
                        "[script:matrix-doc] What does calc do?",
                        "repo",
                        "droid-calc"))
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        sessionB = as("otto")
                .body(Map.of("workspace", B, "droid", "knowledge", "task", "[script:matrix-doc] What does calc do?"))
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        // while they run: each signed-in caller's portal session, through Keycloak's login form as a browser goes
        for (Caller c : Caller.values()) {
            if (c.user != null) {
                BROWSERS.put(c, PortalSignIn.client(base, c.user));
            }
        }
        for (String[] s : new String[][] {{"mike", sessionA}, {"otto", sessionB}}) {
            Poll.until(
                    () -> as(s[0]).get("/api/sessions/" + s[1]).then().extract().jsonPath(),
                    j -> "finished".equals(j.getString("status")),
                    Duration.ofSeconds(90),
                    j -> j.prettify());
        }
        assertThat(as("mike")
                        .get("/api/sessions/" + sessionA + "/artifacts")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$"))
                .isNotEmpty();
    }

    /**
     * Removes the repositories the rows registered in A (all but the matrix's own {@code REPO}): their
     * copies of calc.py would otherwise crowd the workspace-wide search of later test classes that
     * share this Quarkus. After each test, while the application still answers.
     */
    @AfterEach
    void removeRegisteredRepositories() {
        List<String> names = as("wanda")
                .get("/api/workspaces/" + A + "/repositories")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name", String.class);
        for (String name : names) {
            if (name.startsWith("matrix-") && !name.equals(REPO)) {
                as("wanda")
                        .delete("/api/workspaces/" + A + "/repositories/" + name)
                        .then()
                        .statusCode(204);
            }
        }
        // and the package mirrors and webhooks the rows left: later sessions in A would reach them
        for (String mirror : as("wanda")
                .get("/api/workspaces/" + A + "/package-mirrors")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("mirror", String.class)) {
            if (mirror != null && mirror.startsWith("matrix-")) {
                as("wanda")
                        .delete("/api/workspaces/" + A + "/package-mirrors/" + mirror)
                        .then()
                        .statusCode(204);
            }
        }
        for (String mirror : as("alice")
                .get("/api/admin/package-mirrors")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name", String.class)) {
            if (mirror.startsWith("matrix-")) {
                as("alice")
                        .delete("/api/admin/package-mirrors/" + mirror)
                        .then()
                        .statusCode(204);
            }
        }
        for (String server : as("alice")
                .get("/api/admin/mcp-servers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name", String.class)) {
            if (server.startsWith("matrix-")) {
                as("alice").delete("/api/admin/mcp-servers/" + server).then().statusCode(204);
            }
        }
        for (String hook : as("alice")
                .get("/api/workspaces/" + A + "/webhooks")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", String.class)) {
            as("alice")
                    .delete("/api/workspaces/" + A + "/webhooks/" + hook)
                    .then()
                    .statusCode(204);
        }
        for (String receiver : as("wanda")
                .get("/api/workspaces/" + A + "/alert-receivers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name", String.class)) {
            as("wanda").delete("/api/workspaces/" + A + "/alert-receivers/" + receiver);
        }
        as("wanda").delete("/api/workspaces/" + A + "/tickets/jira");
        webhook = "";
    }

    @Test
    void shouldHaveARowForEveryRouteWhenRoutesAreDiscovered() throws IOException {
        // When
        Set<String> discovered = new TreeSet<>();
        discovered.addAll(resourceMethods());
        discovered.addAll(frontDoorRoutes());

        // Then
        Set<String> listed = rows().stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed)
                .as(
                        "every route needs a row in AuthorizationMatrixTest.rows() (and no row may name a route that is gone)")
                .isEqualTo(discovered);
        assertThat(discovered)
                .anyMatch(r -> r.startsWith("POST /portal/"))
                .anyMatch(r -> r.endsWith("(SSE)"))
                .anyMatch(r -> r.contains(" /v1/"));
    }

    @Test
    void shouldGiveEveryCallerTheExpectedOutcomeWhenEveryRouteIsCalled() throws Exception {
        // Given
        resources();
        List<Row> rows = rows();
        List<String> mismatches = new ArrayList<>();
        StringBuilder report = new StringBuilder(
                "| row | " + Stream.of(Caller.values()).map(Caller::label).collect(Collectors.joining(" | "))
                        + " | ms |\n|---|" + "---|".repeat(Caller.values().length + 1) + "\n");
        long started = System.nanoTime();

        // When
        for (Row row : rows) {
            report.append(run(row, mismatches));
        }
        int cells = rows.size() * Caller.values().length;
        writeReport(report.append("\n")
                .append(rows.size())
                .append(" rows, ")
                .append(cells)
                .append(" cells, ")
                .append((System.nanoTime() - started) / 1_000_000)
                .append(" ms\n")
                .toString());

        // Then
        assertThat(mismatches).as(cells + " cells").isEmpty();
    }

    @Test
    void shouldKeepWorkspaceClassificationWhenCallerSendsLowerOne() throws Exception {
        // Given
        resources();

        // When mike names a lower classification than demo's (internal) on a model call
        String id = modelCall(
                json(
                        "POST",
                        "/v1/chat/completions",
                        chat(),
                        Map.of("X-Drydock-Workspace", A, "X-Drydock-Classification", "public")),
                Tokens.of("mike"));

        // Then the call was made, and accounted, at the workspace's classification
        List<Map<String, Object>> rows = as("alice")
                .get("/api/admin/model-requests?user=mike&limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(rows)
                .filteredOn(r -> id.equals(r.get("id")))
                .singleElement()
                .satisfies(r -> assertThat(r)
                        .containsEntry("classification", "internal")
                        .containsEntry("workspace", A));
    }

    /** Every row. Targets are read when a row is called, so the list can be built before the resources exist. */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        String ws = "/api/workspaces/" + A;

        // people and workspaces
        rows.add(api("GET /api/me", "UAAAAAA", c -> get("/api/me")));
        rows.add(api("GET /api/cli-config", "AAAAAAA", c -> get("/api/cli-config")));
        rows.add(api("GET /api/workspaces", "UAAAAAA", c -> get("/api/workspaces"))
                .hiding(() -> "\"slug\":\"" + A + "\""));
        rows.add(api(
                "POST /api/workspaces",
                "UFFFFFA",
                c -> json(
                        "POST",
                        "/api/workspaces",
                        Map.of("slug", "matrix-ws-" + FRESH.incrementAndGet(), "displayName", "Matrix"))));
        rows.add(api("GET /api/workspaces/{slug}", "UAAAHHA", c -> get(ws)));
        rows.add(api(
                "PUT /api/workspaces/{slug}/policy",
                "UFFAHHA",
                c -> new Call("PUT", ws + "/policy", policyA, "application/json", Map.of())));

        // repositories, search, memories, secrets of A
        rows.add(api("GET /api/workspaces/{workspace}/repositories", "UAAAHHA", c -> get(ws + "/repositories")));
        rows.add(api(
                "POST /api/workspaces/{workspace}/repositories",
                "UFFAHHA",
                c -> json(
                        "POST",
                        ws + "/repositories",
                        Map.of("name", "matrix-add-" + FRESH.incrementAndGet(), "path", repoPath, "branch", "main"))));
        rows.add(api(
                "GET /api/workspaces/{workspace}/repositories/{name}",
                "UAAAHHA",
                c -> get(ws + "/repositories/" + REPO)));
        rows.add(api(
                "DELETE /api/workspaces/{workspace}/repositories/{name}",
                "UFFAHHA",
                c -> new Call("DELETE", ws + "/repositories/" + freshRepository(), null, null, Map.of())));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/repositories/{name}/path-labels",
                "UFFAHHA",
                c -> json(
                        "PUT",
                        ws + "/repositories/" + REPO + "/path-labels",
                        List.of(Map.of("path", "secret/**", "classification", "confidential")))));
        rows.add(api(
                "POST /api/workspaces/{workspace}/repositories/{name}/sync",
                "UFAAHHA",
                c -> post(ws + "/repositories/" + REPO + "/sync")));
        rows.add(api("GET /api/workspaces/{workspace}/search", "UAAAHHA", c -> get(ws + "/search?q=add")));
        rows.add(api("GET /api/workspaces/{workspace}/memories", "UAAAHHA", c -> get(ws + "/memories")));
        rows.add(api(
                "DELETE /api/workspaces/{workspace}/memories/{id}",
                "UFAAHHA",
                c -> new Call("DELETE", ws + "/memories/" + freshMemory(), null, null, Map.of())));
        rows.add(api("GET /api/workspaces/{workspace}/secrets", "UFFAHHA", c -> get(ws + "/secrets")));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/secrets/{name}",
                "UFFAHHA",
                c -> json("PUT", ws + "/secrets/" + SECRET, Map.of("value", "matrix-value"))));
        rows.add(api(
                "DELETE /api/workspaces/{workspace}/secrets/{name}",
                "UFFAHHA",
                c -> new Call("DELETE", ws + "/secrets/" + freshSecret(), null, null, Map.of())));
        rows.add(api("GET /api/workspaces/{workspace}/lookup", "UAAAHHA", c -> get(ws + "/lookup?q=calc")));
        rows.add(api("GET /api/workspaces/{workspace}/repositories/{repo}/setup", "UAAAHHA", c -> {
            setupOfRepo();
            return get(ws + "/repositories/" + REPO + "/setup");
        }));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/repositories/{repo}/setup",
                "UFFAHHA",
                c -> json("PUT", ws + "/repositories/" + REPO + "/setup", Map.of("command", "true"))));
        rows.add(api("DELETE /api/workspaces/{workspace}/repositories/{repo}/setup", "UFFAHHA", c -> {
            setupOfRepo();
            return new Call("DELETE", ws + "/repositories/" + REPO + "/setup", null, null, Map.of());
        }));
        rows.add(api("GET /api/workspaces/{workspace}/package-mirrors", "UAAAHHA", c -> get(ws + "/package-mirrors")));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/package-mirrors/{mirror}",
                "UFFAHHA",
                c -> json("PUT", ws + "/package-mirrors/" + freshMirror(), Map.of())));
        rows.add(api(
                "DELETE /api/workspaces/{workspace}/package-mirrors/{mirror}",
                "UFFAHHA",
                c -> new Call("DELETE", ws + "/package-mirrors/" + freshChosenMirror(), null, null, Map.of())));
        rows.add(api("GET /api/workspaces/{workspace}/webhooks", "UFFAHHA", c -> get(ws + "/webhooks")));
        rows.add(api(
                "POST /api/workspaces/{workspace}/webhooks",
                "UFFAHHA",
                c -> json(
                        "POST",
                        ws + "/webhooks",
                        Map.of(
                                "url",
                                "https://hooks.outside.example/x",
                                "events",
                                List.of("session.finished"),
                                "secret",
                                SECRET))));
        rows.add(api(
                "DELETE /api/workspaces/{workspace}/webhooks/{id}",
                "UFFAHHA",
                c -> new Call("DELETE", ws + "/webhooks/" + freshWebhook(), null, null, Map.of())));
        rows.add(api(
                "GET /api/workspaces/{workspace}/webhooks/{id}/deliveries",
                "UFFAHHA",
                c -> get(ws + "/webhooks/" + webhookOfA() + "/deliveries")));
        rows.add(api(
                "POST /api/workspaces/{workspace}/webhooks/{id}/ping",
                "UFFAHHA",
                c -> post(ws + "/webhooks/" + webhookOfA() + "/ping")));
        rows.add(api(
                "POST /api/workspaces/{workspace}/webhooks/{id}/deliveries/{delivery}/redeliver",
                "UFFAHHA",
                c -> post(ws + "/webhooks/" + webhookOfA() + "/deliveries/" + freshDelivery() + "/redeliver")));
        rows.add(api(
                "GET /api/workspaces/{workspace}/repositories/{name}/delivery",
                "UAAAHHA",
                c -> get(ws + "/repositories/" + REPO + "/delivery")));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/repositories/{name}/delivery",
                "UFFAHHA",
                c -> json("PUT", ws + "/repositories/" + REPO + "/delivery", delivery())));
        rows.add(api("GET /api/workspaces/{workspace}/deliverables", "UAAAHHA", c -> get(ws + "/deliverables")));

        // migrations of A: viewers read, members act (as for sessions)
        String mg = ws + "/migrations";
        rows.add(api("GET /api/workspaces/{workspace}/migrations", "UAAAHHA", c -> get(mg)));
        rows.add(api(
                "POST /api/workspaces/{workspace}/migrations",
                "UFAAHHA",
                c -> json(
                        "POST",
                        mg,
                        Map.of(
                                "goal",
                                "[script:matrix-doc] matrix migration",
                                "repositories",
                                List.of("droid-calc")))));
        rows.add(
                api("GET /api/workspaces/{workspace}/migrations/{id}", "UAAAHHA", c -> get(mg + "/" + migrationOfA())));
        rows.add(api(
                "GET /api/workspaces/{workspace}/migrations/{id}/plan",
                "UAAAHHA",
                c -> get(mg + "/" + migrationOfA() + "/plan")));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/migrations/{id}/plan",
                "UFAAHHA",
                c -> json(
                        "PUT",
                        mg + "/" + migrationOfA() + "/plan",
                        Map.of(
                                "tasks",
                                List.of(Map.of(
                                        "id",
                                        "t1",
                                        "repository",
                                        "droid-calc",
                                        "scope",
                                        "calc.py",
                                        "acceptance",
                                        "true",
                                        "dependsOn",
                                        List.of("missing")))))));
        rows.add(api(
                "POST /api/workspaces/{workspace}/migrations/{id}/approve",
                "UFAAHHA",
                c -> post(mg + "/" + unplannedMigrationOfA() + "/approve")));
        rows.add(api(
                "PATCH /api/workspaces/{workspace}/migrations/{id}/tasks/{task}",
                "UFAAHHA",
                c -> json("PATCH", mg + "/" + migrationOfA() + "/tasks/t1", Map.of("scope", "calc.py"))));
        rows.add(api(
                "POST /api/workspaces/{workspace}/migrations/{id}/tasks/{task}/retry",
                "UFAAHHA",
                c -> post(mg + "/" + migrationOfA() + "/tasks/t1/retry")));
        rows.add(api(
                "POST /api/workspaces/{workspace}/migrations/{id}/tasks/{task}/skip",
                "UFAAHHA",
                c -> json("POST", mg + "/" + migrationOfA() + "/tasks/t1/skip", Map.of("unblockDependents", false))));

        // sessions of A (and one of B, seen from the other side)
        String s = "/api/sessions/";
        rows.add(api("GET /api/sessions", "UAAAAAA", c -> get("/api/sessions?workspace=" + A))
                .hiding(() -> sessionA));
        rows.add(row(
                        "GET /api/sessions",
                        "every workspace the caller sees",
                        Channel.BEARER,
                        "UAAAAAA",
                        c -> get("/api/sessions"))
                .hiding(() -> sessionA));
        rows.add(api(
                "POST /api/sessions",
                "UFAAHHA",
                c -> json(
                        "POST",
                        "/api/sessions",
                        Map.of("workspace", A, "droid", "knowledge", "task", "[script:matrix-doc] matrix"))));
        rows.add(api("GET /api/sessions/{id}", "UAAAHHA", c -> get(s + sessionA)));
        rows.add(row("GET /api/sessions/{id}", "a session of B", Channel.BEARER, "UHHHAAA", c -> get(s + sessionB)));
        rows.add(api("GET /api/sessions/{id}/events", "UAAAHHA", c -> get(s + sessionA + "/events")));
        rows.add(api("GET /api/sessions/{id}/events (SSE)", "UAAAHHA", c -> sse(s + sessionA + "/events")));
        rows.add(api("GET /api/sessions/{id}/artifacts", "UAAAHHA", c -> get(s + sessionA + "/artifacts")));
        rows.add(api("POST /api/sessions/{id}/cancel", "UFAAHHA", c -> post(s + sessionA + "/cancel")));
        rows.add(api(
                "POST /api/sessions/{id}/answer",
                "UFAAHHA",
                c -> json("POST", s + sessionA + "/answer", Map.of("answer", "add"))));
        rows.add(api(
                "POST /api/sessions/{id}/approve",
                "UFAAHHA",
                c -> json("POST", s + sessionA + "/approve", Map.of("callId", "call-1"))));
        rows.add(api(
                "POST /api/sessions/{id}/deny",
                "UFAAHHA",
                c -> json("POST", s + sessionA + "/deny", Map.of("callId", "call-1", "reason", "no"))));
        rows.add(api("POST /api/sessions/{id}/resume", "UFAAHHA", c -> post(s + sessionA + "/resume")));
        rows.add(api(
                "POST /api/sessions/{id}/messages",
                "UFAAHHA",
                c -> json("POST", s + sessionA + "/messages", Map.of("text", "also mul"))));
        rows.add(api("GET /api/sessions/{id}/record/replay", "UAAAHHA", c -> get(s + sessionA + "/record/replay")));
        rows.add(api(
                "GET /api/sessions/{id}/record/model-calls",
                "UAAAHHA",
                c -> get(s + sessionA + "/record/model-calls")));
        rows.add(api("GET /api/sessions/{id}/record/egress", "UAAAHHA", c -> get(s + sessionA + "/record/egress")));
        // webhooks in: Keycloak plays no part (a bearer token is ignored, so every caller is alike); the
        // repository's webhook secret in the vendor's own scheme is the one credential
        rows.add(api("POST /api/hooks/gitlab/{workspace}/{repo}", "UUUUUUU", c -> gitlabHook(null)));
        rows.add(row(
                "POST /api/hooks/gitlab/{workspace}/{repo}",
                "with the repository's X-Gitlab-Token",
                Channel.BEARER,
                "AAAAAAA",
                c -> gitlabHook("matrix-value")));
        rows.add(row(
                "POST /api/hooks/gitlab/{workspace}/{repo}",
                "with another token",
                Channel.BEARER,
                "UUUUUUU",
                c -> gitlabHook("not-the-secret")));
        rows.add(api(
                "POST /api/hooks/gitea/{workspace}/{repo}",
                "UUUUUUU",
                c -> json(
                        "POST",
                        "/api/hooks/gitea/" + A + "/" + REPO,
                        Map.of("action", "created"),
                        Map.of("X-Gitea-Event", "issue_comment", "X-Gitea-Signature", "00"))));
        rows.add(api(
                "POST /api/hooks/github/{workspace}/{repo}",
                "UUUUUUU",
                c -> json(
                        "POST",
                        "/api/hooks/github/" + A + "/" + REPO,
                        Map.of("zen", "Keep it logically awesome."),
                        Map.of("X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=00"))));
        rows.add(api(
                "POST /api/hooks/bitbucket/{workspace}/{repo}",
                "UUUUUUU",
                c -> json(
                        "POST",
                        "/api/hooks/bitbucket/" + A + "/" + REPO,
                        Map.of("test", true),
                        Map.of("X-Event-Key", "diagnostics:ping", "X-Hub-Signature", "sha256=00"))));
        // tickets and incidents: a workspace's Jira connection (admins), sessions from a ticket (members),
        // Alertmanager receivers (admins), incidents (viewers); Alertmanager's webhook is authenticated by
        // the receiver's own credential, never Keycloak
        rows.add(api("GET /api/workspaces/{workspace}/tickets/jira", "UFFAHHA", c -> {
            jiraOfA();
            return get("/api/workspaces/" + A + "/tickets/jira");
        }));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/tickets/jira",
                "UFFAHHA",
                c -> json("PUT", "/api/workspaces/" + A + "/tickets/jira", jira())));
        rows.add(api("DELETE /api/workspaces/{workspace}/tickets/jira", "UFFAHHA", c -> {
            jiraOfA();
            return new Call("DELETE", "/api/workspaces/" + A + "/tickets/jira", null, null, Map.of());
        }));
        rows.add(api(
                "POST /api/workspaces/{workspace}/tickets/sessions",
                "UFAAHHA",
                c -> json("POST", "/api/workspaces/" + A + "/tickets/sessions", Map.of("ticket", "not a ticket"))));
        rows.add(api(
                "GET /api/workspaces/{workspace}/alert-receivers",
                "UFFAHHA",
                c -> get("/api/workspaces/" + A + "/alert-receivers")));
        rows.add(api(
                "PUT /api/workspaces/{workspace}/alert-receivers/{name}",
                "UFFAHHA",
                c -> json("PUT", "/api/workspaces/" + A + "/alert-receivers/matrix-alerts", alertReceiver())));
        rows.add(api("DELETE /api/workspaces/{workspace}/alert-receivers/{name}", "UFFAHHA", c -> {
            String name = freshAlertReceiver();
            return new Call("DELETE", "/api/workspaces/" + A + "/alert-receivers/" + name, null, null, Map.of());
        }));
        rows.add(api(
                "GET /api/workspaces/{workspace}/incidents",
                "UAAAHHA",
                c -> get("/api/workspaces/" + A + "/incidents")));
        rows.add(api("POST /api/hooks/alertmanager/{workspace}/{receiver}", "UUUUUUU", c -> alertmanagerHook(null)));
        rows.add(row(
                "POST /api/hooks/alertmanager/{workspace}/{receiver}",
                "with the receiver's bearer token",
                Channel.BEARER,
                "AAAAAAA",
                c -> alertmanagerHook("Bearer matrix-value")));
        rows.add(api("GET /api/sessions/{id}/delivery", "UAAAHHA", c -> get(s + sessionA + "/delivery")));
        rows.add(api(
                "POST /api/sessions/{id}/delivery/push",
                "UFAAHHA",
                c -> json("POST", s + sessionA + "/delivery/push", Map.of())));
        rows.add(api(
                "POST /api/sessions/{id}/delivery/merge-request",
                "UFAAHHA",
                c -> post(s + sessionA + "/delivery/merge-request")));
        rows.add(api("GET /api/sessions/{id}/delivery/patch", "UAAAHHA", c -> get(s + sessionA + "/delivery/patch")));
        rows.add(api("GET /api/delivery/signing-key", "UAAAAAA", c -> get("/api/delivery/signing-key")));

        // personal API keys: a key is its owner's alone (mike's key is hidden from everyone else, admins too)
        rows.add(api("GET /api/me/api-keys", "UAAAAAA", c -> get("/api/me/api-keys")));
        rows.add(api(
                "POST /api/me/api-keys",
                "UAAAAAA",
                c -> json(
                        "POST",
                        "/api/me/api-keys",
                        Map.of("name", "matrix-" + FRESH.incrementAndGet(), "expiresInDays", 7))));
        rows.add(api(
                "DELETE /api/me/api-keys/{id}",
                "UHAHHHH",
                c -> new Call("DELETE", "/api/me/api-keys/" + freshKeyOfMike(), null, null, Map.of())));

        // drydock-admin only
        String admin = "/api/admin/";
        rows.add(api("GET /api/admin/audit/verify", "UFFFFFA", c -> get(admin + "audit/verify")));
        rows.add(api("GET /api/admin/audit/export", "UFFFFFA", c -> get(admin + "audit/export?afterSeq=999999999")));
        rows.add(api("GET /api/admin/model-endpoints", "UFFFFFA", c -> get(admin + "model-endpoints")));
        rows.add(api(
                "GET /api/admin/model-endpoints/{name}", "UFFFFFA", c -> get(admin + "model-endpoints/" + ENDPOINT)));
        rows.add(api(
                "PUT /api/admin/model-endpoints/{name}",
                "UFFFFFA",
                c -> json("PUT", admin + "model-endpoints/matrix-endpoint", endpoint())));
        rows.add(api(
                "DELETE /api/admin/model-endpoints/{name}",
                "UFFFFFA",
                c -> new Call("DELETE", admin + "model-endpoints/" + freshEndpoint(), null, null, Map.of())));
        rows.add(api("GET /api/admin/model-routes", "UFFFFFA", c -> get(admin + "model-routes")));
        rows.add(api(
                "PUT /api/admin/model-routes/{name}",
                "UFFFFFA",
                c -> json("PUT", admin + "model-routes/matrix-route", route("matrix"))));
        rows.add(api(
                "DELETE /api/admin/model-routes/{name}",
                "UFFFFFA",
                c -> new Call("DELETE", admin + "model-routes/" + freshRoute(), null, null, Map.of())));
        rows.add(api(
                "POST /api/admin/models/{endpoint}/gate",
                "UFFFFFA",
                c -> post(admin + "models/" + gateRun()[0] + "/gate")));
        rows.add(api(
                "GET /api/admin/models/{endpoint}/gate",
                "UFFFFFA",
                c -> get(admin + "models/" + gateRun()[0] + "/gate")));
        rows.add(api(
                "GET /api/admin/models/{endpoint}/gate/runs/{run}",
                "UFFFFFA",
                c -> get(admin + "models/" + gateRun()[0] + "/gate/runs/" + gateRun()[1])));
        rows.add(api("GET /api/admin/model-budgets", "UFFFFFA", c -> get(admin + "model-budgets")));
        rows.add(api("POST /api/admin/model-budgets", "UFFFFFA", c -> json("POST", admin + "model-budgets", budget())));
        rows.add(api(
                "DELETE /api/admin/model-budgets/{id}",
                "UFFFFFA",
                c -> new Call("DELETE", admin + "model-budgets/" + freshBudget(), null, null, Map.of())));
        rows.add(api("GET /api/admin/package-mirrors", "UAAAAAA", c -> get(admin + "package-mirrors")));
        rows.add(api("GET /api/admin/dependency-caches", "UFFFFFA", c -> get(admin + "dependency-caches")));
        rows.add(api(
                "PUT /api/admin/package-mirrors/{name}",
                "UFFFFFA",
                c -> json(
                        "PUT",
                        admin + "package-mirrors/matrix-mirror",
                        Map.of("kind", "npm", "url", "http://matrix-mirror.invalid/npm/"))));
        rows.add(api(
                "DELETE /api/admin/package-mirrors/{name}",
                "UFFFFFA",
                c -> new Call("DELETE", admin + "package-mirrors/" + freshMirror(), null, null, Map.of())));
        rows.add(api("GET /api/admin/mcp-servers", "UFFFFFA", c -> get(admin + "mcp-servers")));
        rows.add(api(
                "GET /api/admin/mcp-servers/{name}", "UFFFFFA", c -> get(admin + "mcp-servers/" + freshMcpServer())));
        rows.add(api(
                "PUT /api/admin/mcp-servers/{name}",
                "UFFFFFA",
                c -> json("PUT", admin + "mcp-servers/matrix-mcp", mcpServer())));
        rows.add(api(
                "DELETE /api/admin/mcp-servers/{name}",
                "UFFFFFA",
                c -> new Call("DELETE", admin + "mcp-servers/" + freshMcpServer(), null, null, Map.of())));
        rows.add(api(
                "POST /api/admin/mcp-servers/{name}/refresh",
                "UFFFFFA",
                c -> json("POST", admin + "mcp-servers/" + freshMcpServer() + "/refresh", Map.of())));
        rows.add(api(
                "PUT /api/admin/mcp-servers/{name}/tools/{tool}",
                "UFFFFFA",
                c -> json(
                        "PUT",
                        admin + "mcp-servers/" + freshMcpServer() + "/tools/echo",
                        Map.of("risk", "not-a-class"))));
        rows.add(api("GET /api/admin/model-requests", "UFFFFFA", c -> get(admin + "model-requests?limit=5")));
        rows.add(api("GET /api/admin/egress-refusals", "UFFFFFA", c -> get(admin + "egress-refusals")));
        rows.add(api("GET /api/admin/model-hosts", "UFFFFFA", c -> get(admin + "model-hosts")));
        rows.add(api(
                "POST /api/admin/model-hosts",
                "UFFFFFA",
                c -> json("POST", admin + "model-hosts", Map.of("host", "matrix-model.invalid", "reason", "matrix"))));
        rows.add(api(
                "DELETE /api/admin/model-hosts/{host}",
                "UFFFFFA",
                c -> new Call("DELETE", admin + "model-hosts/" + freshModelHost(), null, null, Map.of())));
        rows.add(api("GET /api/admin/repository-sources", "UFFFFFA", c -> get(admin + "repository-sources")));
        rows.add(api(
                "POST /api/admin/repository-sources/local-roots",
                "UFFFFFA",
                c -> json("POST", admin + "repository-sources/local-roots", Map.of("path", freshFolder()))));
        rows.add(api(
                "DELETE /api/admin/repository-sources/local-roots",
                "UFFFFFA",
                c -> new Call(
                        "DELETE",
                        admin + "repository-sources/local-roots?path=" + encode(freshLocalRoot()),
                        null,
                        null,
                        Map.of())));
        rows.add(api(
                "POST /api/admin/repository-sources/allowed-hosts",
                "UFFFFFA",
                c -> json("POST", admin + "repository-sources/allowed-hosts", Map.of("host", "matrix-git.example"))));
        rows.add(api(
                "DELETE /api/admin/repository-sources/allowed-hosts/{host}",
                "UFFFFFA",
                c -> new Call(
                        "DELETE", admin + "repository-sources/allowed-hosts/" + freshGitHost(), null, null, Map.of())));

        // the OpenAI-compatible front door and its X-Drydock-* headers, none taken on trust
        rows.add(api("GET /v1/models", "UFAAAAA", c -> get("/v1/models")));
        rows.add(api("POST /v1/chat/completions", "UFAAHHA", c -> v1Chat(Map.of("X-Drydock-Workspace", A))));
        rows.add(row(
                "POST /v1/chat/completions",
                "no X-Drydock-Workspace: the caller's first workspace as member",
                Channel.BEARER,
                "UFAAAAA",
                c -> v1Chat(Map.of())));
        rows.add(row(
                "POST /v1/chat/completions",
                "X-Drydock-Workspace: - (outside every workspace)",
                Channel.BEARER,
                "UFFFFFA",
                c -> v1Chat(Map.of("X-Drydock-Workspace", "-"))));
        rows.add(row(
                "POST /v1/chat/completions",
                "X-Drydock-Session of A",
                Channel.BEARER,
                "UFAAHHA",
                c -> v1Chat(Map.of("X-Drydock-Session", sessionA))));
        rows.add(row(
                "POST /v1/chat/completions",
                "X-Drydock-Session of B",
                Channel.BEARER,
                "UHHHAAA",
                c -> v1Chat(Map.of("X-Drydock-Session", sessionB))));
        rows.add(row(
                "POST /v1/chat/completions",
                "X-Drydock-Droid without a session",
                Channel.BEARER,
                "UFFFHHF",
                c -> v1Chat(Map.of("X-Drydock-Workspace", A, "X-Drydock-Droid", "reliability"))));
        rows.add(row(
                "POST /v1/chat/completions",
                "X-Drydock-Droid other than the session's",
                Channel.BEARER,
                "UFFFHHF",
                c -> v1Chat(Map.of("X-Drydock-Session", sessionA, "X-Drydock-Droid", "reliability"))));
        rows.add(row(
                "POST /v1/chat/completions",
                "X-Drydock-Classification lowered to public",
                Channel.BEARER,
                "UFAAHHA",
                c -> v1Chat(Map.of("X-Drydock-Workspace", A, "X-Drydock-Classification", "public"))));
        rows.add(api(
                "POST /v1/embeddings",
                "UFAAHHA",
                c -> json(
                        "POST",
                        "/v1/embeddings",
                        Map.of("model", "local-embedding", "input", "hello"),
                        Map.of("X-Drydock-Workspace", A))));
        rows.add(row(
                "POST /v1/embeddings",
                "X-Drydock-Workspace: - (outside every workspace)",
                Channel.BEARER,
                "UFFFFFA",
                c -> json(
                        "POST",
                        "/v1/embeddings",
                        Map.of("model", "local-embedding", "input", "hello"),
                        Map.of("X-Drydock-Workspace", "-"))));
        rows.add(api("ANY /v1/*", "HHHHHHH", c -> get("/v1/no-such-route")));

        // the portal: pages, forms and the session page's stream, over the portal's cookie session
        rows.add(portal("GET /", "AAAAAAA", c -> get("/")));
        rows.add(portal("GET /signin", "AAAAAAA", c -> get("/signin")));
        rows.add(portal("GET /portal", "UAAAAAA", c -> get("/portal")).hiding(() -> "/portal/workspaces/" + A + "\""));
        rows.add(portal("GET /portal/me", "UAAAAAA", c -> get("/portal/me")));
        rows.add(portal(
                "POST /portal/me/api-keys",
                "UAAAAAA",
                c -> form(
                        "/portal/me/api-keys",
                        "name",
                        "matrix-portal-" + FRESH.incrementAndGet(),
                        "expiresInDays",
                        "7")));
        rows.add(row(
                "POST /portal/me/api-keys",
                "no Origin, no Sec-Fetch-Site (cross-site form)",
                Channel.PORTAL,
                "UFFFFFF",
                c -> new Call(
                        "POST",
                        "/portal/me/api-keys",
                        "name=matrix-csrf",
                        "application/x-www-form-urlencoded",
                        Map.of("Origin", ""))));
        rows.add(portal("POST /portal/me/theme", "UAAAAAA", c -> form("/portal/me/theme", "theme", "system")));
        rows.add(portal(
                "POST /portal/me/api-keys/{id}/revoke",
                "UHAHHHH",
                c -> form("/portal/me/api-keys/" + freshKeyOfMike() + "/revoke")));
        rows.add(portal("GET /portal/admin/models", "UFFFFFA", c -> get("/portal/admin/models")));
        rows.add(portal(
                "POST /portal/admin/models",
                "UFFFFFA",
                c -> form("/portal/admin/models", "action", "test", "name", "matrix", "baseUrl", "")));
        rows.add(portal("GET /portal/admin/usage", "UFFFFFA", c -> get("/portal/admin/usage")));
        rows.add(portal("GET /portal/admin/egress", "UFFFFFA", c -> get("/portal/admin/egress")));
        rows.add(portal("GET /portal/admin/memories", "UFFFFFA", c -> get("/portal/admin/memories")));
        rows.add(portal(
                "GET /portal/admin/models/{endpoint}/gate",
                "UFFFFFA",
                c -> get("/portal/admin/models/" + gateRun()[0] + "/gate")));
        rows.add(portal(
                "POST /portal/admin/models/{endpoint}/gate",
                "UFFFFFA",
                c -> form("/portal/admin/models/" + gateRun()[0] + "/gate")));
        rows.add(portal("GET /portal/admin/routes", "UFFFFFA", c -> get("/portal/admin/routes")));
        rows.add(portal(
                "POST /portal/admin/routes",
                "UFFFFFA",
                c -> form(
                        "/portal/admin/routes",
                        "name",
                        "matrix-portal-route",
                        "purpose",
                        "matrix-portal",
                        "endpoints",
                        ENDPOINT,
                        "override",
                        "on",
                        "overrideReason",
                        "authorization matrix")));
        rows.add(portal(
                "POST /portal/admin/routes/delete",
                "UFFFFFA",
                c -> form("/portal/admin/routes/delete", "name", freshRoute())));
        rows.add(portal("GET /portal/admin/budgets", "UFFFFFA", c -> get("/portal/admin/budgets")));
        rows.add(portal(
                "POST /portal/admin/budgets",
                "UFFFFFA",
                c -> form(
                        "/portal/admin/budgets",
                        "scope",
                        "user",
                        "subject",
                        "matrix-nobody",
                        "period",
                        "day",
                        "maxTokens",
                        "1000000")));
        rows.add(portal(
                "POST /portal/admin/budgets/{id}/delete",
                "UFFFFFA",
                c -> form("/portal/admin/budgets/" + freshBudget() + "/delete")));
        rows.add(portal("GET /portal/admin/policy", "UFFFFFA", c -> get("/portal/admin/policy")));
        rows.add(portal(
                "POST /portal/admin/policy/workspaces/{slug}",
                "UFFFFFA",
                c -> form("/portal/admin/policy/workspaces/" + A, "classification", "matrix-not-a-label")));
        rows.add(portal(
                "POST /portal/admin/policy/model-hosts",
                "UFFFFFA",
                c -> form(
                        "/portal/admin/policy/model-hosts", "host", "matrix-portal-host.invalid", "reason", "matrix")));
        rows.add(portal(
                "POST /portal/admin/policy/model-hosts/remove",
                "UFFFFFA",
                c -> form("/portal/admin/policy/model-hosts/remove", "host", freshModelHost())));
        rows.add(portal("GET /portal/admin/audit", "UFFFFFA", c -> get("/portal/admin/audit?action=policy.")));
        rows.add(portal("GET /portal/admin/audit/verify", "UFFFFFA", c -> get("/portal/admin/audit/verify")));
        rows.add(portal("GET /portal/admin/audit/export", "UFFFFFA", c -> get("/portal/admin/audit/export")));
        rows.add(portal("GET /portal/search", "UAAAAAA", c -> get("/portal/search?q=add"))
                .hiding(() -> REPO));
        rows.add(portal(
                "GET /portal/search/code",
                "UAAAHHA",
                c -> get("/portal/search/code?workspace=" + A + "&repo=" + indexedRepoOfA()
                        + "&path=calc.py&from=1&to=2")));
        String settings = "/portal/workspaces/" + A + "/settings";
        rows.add(portal("GET /portal/workspaces/{slug}/settings", "UFFAHHA", c -> get(settings)));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/settings/mirrors",
                "UFFAHHA",
                c -> form(settings + "/mirrors", "mirror", freshMirror())));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/settings/mirrors/remove",
                "UFFAHHA",
                c -> form(settings + "/mirrors/remove", "mirror", freshChosenMirror())));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/settings/webhooks",
                "UFFAHHA",
                c -> form(
                        settings + "/webhooks",
                        "url",
                        "https://hooks.outside.example/portal",
                        "events",
                        "session.finished",
                        "secret",
                        SECRET)));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/settings/webhooks/{id}/delete",
                "UFFAHHA",
                c -> form(settings + "/webhooks/" + freshWebhook() + "/delete")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/settings/webhooks/{id}/ping",
                "UFFAHHA",
                c -> form(settings + "/webhooks/" + webhookOfA() + "/ping")));
        rows.add(portal("GET /portal/admin/mirrors", "UFFFFFA", c -> get("/portal/admin/mirrors")));
        rows.add(portal(
                "POST /portal/admin/mirrors",
                "UFFFFFA",
                c -> form(
                        "/portal/admin/mirrors",
                        "name",
                        "matrix-portal-mirror",
                        "kind",
                        "npm",
                        "url",
                        "http://matrix-mirror.invalid/npm/")));
        rows.add(portal(
                "POST /portal/admin/mirrors/remove",
                "UFFFFFA",
                c -> form("/portal/admin/mirrors/remove", "name", freshMirror())));
        rows.add(portal("GET /portal/admin/mcp", "UFFFFFA", c -> get("/portal/admin/mcp")));
        rows.add(portal(
                "POST /portal/admin/mcp",
                "UFFFFFA",
                c -> form(
                        "/portal/admin/mcp",
                        "name",
                        "matrix-portal-mcp",
                        "transport",
                        "stdio",
                        "command",
                        "true",
                        "workspaces",
                        B)));
        rows.add(portal(
                "POST /portal/admin/mcp/remove",
                "UFFFFFA",
                c -> form("/portal/admin/mcp/remove", "name", freshMcpServer())));
        rows.add(portal(
                "POST /portal/admin/mcp/refresh",
                "UFFFFFA",
                c -> form("/portal/admin/mcp/refresh", "name", freshMcpServer())));
        rows.add(portal(
                "POST /portal/admin/mcp/tool",
                "UFFFFFA",
                c -> form(
                        "/portal/admin/mcp/tool", "server", freshMcpServer(), "tool", "echo", "risk", "not-a-class")));
        rows.add(portal("GET /portal/admin/sources", "UFFFFFA", c -> get("/portal/admin/sources")));
        rows.add(portal(
                "POST /portal/admin/sources/local-roots",
                "UFFFFFA",
                c -> form("/portal/admin/sources/local-roots", "path", freshFolder())));
        rows.add(portal(
                "POST /portal/admin/sources/local-roots/remove",
                "UFFFFFA",
                c -> form("/portal/admin/sources/local-roots/remove", "path", freshLocalRoot())));
        rows.add(portal(
                "POST /portal/admin/sources/allowed-hosts",
                "UFFFFFA",
                c -> form("/portal/admin/sources/allowed-hosts", "host", "matrix-portal-git.example")));
        rows.add(portal(
                "POST /portal/admin/sources/allowed-hosts/remove",
                "UFFFFFA",
                c -> form("/portal/admin/sources/allowed-hosts/remove", "host", freshGitHost())));
        rows.add(portal("GET /portal/repositories", "UAAAAAA", c -> get("/portal/repositories"))
                .hiding(() -> REPO));
        rows.add(portal("GET /portal/repositories/status", "UAAAAAA", c -> get("/portal/repositories/status"))
                .hiding(() -> REPO));
        rows.add(portal(
                "POST /portal/repositories",
                "UFFAHHA",
                c -> form(
                        "/portal/repositories",
                        "workspace",
                        A,
                        "name",
                        "matrix-portal-" + FRESH.incrementAndGet(),
                        "source",
                        "path",
                        "path",
                        repoPath,
                        "branch",
                        "main")));
        rows.add(portal(
                "POST /portal/repositories/{workspace}/{name}/sync",
                "UFAAHHA",
                c -> form("/portal/repositories/" + A + "/" + REPO + "/sync")));
        rows.add(portal("GET /portal/workspaces/{slug}", "UAAAHHA", c -> get("/portal/workspaces/" + A)));
        rows.add(portal(
                "GET /portal/workspaces/{slug}/deliverables",
                "UAAAHHA",
                c -> get("/portal/workspaces/" + A + "/deliverables")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/sessions",
                "UFAAHHA",
                c -> form(
                        "/portal/workspaces/" + A + "/sessions",
                        "droid",
                        "knowledge",
                        "task",
                        "[script:matrix-doc] matrix")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/ticket-sessions",
                "UFAAHHA",
                c -> form("/portal/workspaces/" + A + "/ticket-sessions", "ticket", "not a ticket")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/memories/{id}/delete",
                "UFAAHHA",
                c -> form("/portal/workspaces/" + A + "/memories/" + freshMemory() + "/delete")));
        String pm = "/portal/workspaces/" + A + "/migrations";
        rows.add(portal("GET /portal/workspaces/{slug}/migrations", "UAAAHHA", c -> get(pm)));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/migrations",
                "UFAAHHA",
                c -> form(pm, "goal", "[script:matrix-doc] matrix migration", "repositories", "droid-calc")));
        rows.add(portal(
                "GET /portal/workspaces/{slug}/migrations/{id}", "UAAAHHA", c -> get(pm + "/" + migrationOfA())));
        rows.add(portal(
                "GET /portal/workspaces/{slug}/migrations/{id}/board",
                "UAAAHHA",
                c -> get(pm + "/" + migrationOfA() + "/board")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/migrations/{id}/plan",
                "UFAAHHA",
                c -> form(pm + "/" + migrationOfA() + "/plan", "plan", "{\"tasks\": []}")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/migrations/{id}/approve",
                "UFAAHHA",
                c -> form(pm + "/" + unplannedMigrationOfA() + "/approve")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/migrations/{id}/tasks/{task}/retry",
                "UFAAHHA",
                c -> form(pm + "/" + migrationOfA() + "/tasks/t1/retry")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/migrations/{id}/tasks/{task}/skip",
                "UFAAHHA",
                c -> form(pm + "/" + migrationOfA() + "/tasks/t1/skip")));
        rows.add(portal(
                "POST /portal/workspaces/{slug}/migrations/{id}/tasks/{task}/edit",
                "UFAAHHA",
                c -> form(pm + "/" + migrationOfA() + "/tasks/t1/edit", "scope", "calc.py")));
        String p = "/portal/sessions/";
        rows.add(portal("GET /portal/sessions/{id}", "UAAAHHA", c -> get(p + sessionA)));
        rows.add(portal("GET /portal/sessions/{id}/events (SSE)", "UAAAHHA", c -> sse(p + sessionA + "/events")));
        rows.add(portal("GET /portal/sessions/{id}/review", "UAAAHHA", c -> get(p + sessionA + "/review")));
        rows.add(portal("GET /portal/sessions/{id}/record", "UAAAHHA", c -> get(p + sessionA + "/record")));
        rows.add(portal("GET /portal/sessions/{id}/patch", "UAAAHHA", c -> get(p + sessionA + "/patch")));
        rows.add(portal(
                "GET /portal/sessions/{id}/artifacts/{index}", "UAAAHHA", c -> get(p + sessionA + "/artifacts/0")));
        rows.add(portal(
                "GET /portal/workspaces/{workspace}/lookup",
                "UAAAHHA",
                c -> get("/portal/workspaces/" + A + "/lookup?q=calc")));
        rows.add(portal(
                "POST /portal/sessions/{id}/answer", "UFAAHHA", c -> form(p + sessionA + "/answer", "answer", "add")));
        rows.add(portal(
                "POST /portal/sessions/{id}/approve",
                "UFAAHHA",
                c -> form(p + sessionA + "/approve", "callId", "call-1")));
        rows.add(portal(
                "POST /portal/sessions/{id}/deny",
                "UFAAHHA",
                c -> form(p + sessionA + "/deny", "callId", "call-1", "reason", "no")));
        rows.add(portal("POST /portal/sessions/{id}/cancel", "UFAAHHA", c -> form(p + sessionA + "/cancel")));
        rows.add(row(
                "POST /portal/sessions/{id}/cancel",
                "Origin of another site",
                Channel.PORTAL,
                "UFFFFFF",
                c -> new Call(
                        "POST",
                        p + sessionA + "/cancel",
                        "",
                        "application/x-www-form-urlencoded",
                        Map.of("Origin", "http://evil.example"))));
        rows.add(portal("POST /portal/sessions/{id}/resume", "UFAAHHA", c -> form(p + sessionA + "/resume")));
        rows.add(portal("POST /portal/sessions/{id}/deliver", "UFAAHHA", c -> form(p + sessionA + "/deliver")));
        return rows;
    }

    private static Row api(String route, String expected, Function<Caller, Call> call) {
        return row(route, "", Channel.BEARER, expected, call);
    }

    private static Row portal(String route, String expected, Function<Caller, Call> call) {
        return row(route, "", Channel.PORTAL, expected, call);
    }

    private static Row row(
            String route, String variant, Channel channel, String expected, Function<Caller, Call> call) {
        return new Row(route, variant, channel, call, expected, () -> "");
    }

    private static Call get(String path) {
        return new Call("GET", path, null, null, Map.of());
    }

    private static Call sse(String path) {
        return new Call("GET", path, null, null, Map.of("Accept", "text/event-stream"));
    }

    private static Call post(String path) {
        return new Call("POST", path, null, null, Map.of());
    }

    private static Call json(String method, String path, Object body) {
        return json(method, path, body, Map.of());
    }

    private static Call json(String method, String path, Object body, Map<String, String> headers) {
        try {
            return new Call(
                    method,
                    path,
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body),
                    "application/json",
                    headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A portal form as the page sends it (the portal channel adds this server's Origin). */
    private static Call form(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&")
                    .append(encode(fields[i]))
                    .append('=')
                    .append(encode(fields[i + 1]));
        }
        return new Call("POST", path, body.toString(), "application/x-www-form-urlencoded", Map.of());
    }

    private static Map<String, Object> chat() {
        return Map.of(
                "model",
                ENDPOINT,
                "messages",
                List.of(Map.of("role", "user", "content", "[script:matrix-chat] hello")));
    }

    private static Call v1Chat(Map<String, String> headers) {
        return json("POST", "/v1/chat/completions", chat(), headers);
    }

    private static String @Nullable [] gateRun;

    /** An endpoint no model answers at, with a gate run started by alice: {endpoint, run id}. */
    private static synchronized String[] gateRun() {
        if (gateRun == null) {
            String name = "matrix-gate-" + FRESH.incrementAndGet();
            as("alice")
                    .body(Map.of(
                            "baseUrl",
                            "http://127.0.0.1:9/v1",
                            "protocol",
                            "openai-chat",
                            "modelId",
                            "nothing",
                            "clearance",
                            "internal"))
                    .put("/api/admin/model-endpoints/" + name)
                    .then()
                    .statusCode(200);
            String run = as("alice")
                    .post("/api/admin/models/" + name + "/gate")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("run");
            gateRun = new String[] {name, run};
        }
        return gateRun;
    }

    private static Map<String, Object> endpoint() {
        return Map.of(
                "baseUrl", scriptedUrl, "protocol", "openai-chat", "modelId", "scripted", "clearance", "internal");
    }

    private static Map<String, Object> route(String purpose) {
        return Map.of(
                "purpose",
                purpose,
                "endpoints",
                List.of(ENDPOINT),
                "override",
                Map.of("reason", "authorization matrix: the endpoint is a test double"));
    }

    private static Map<String, Object> delivery() {
        return Map.of(
                "server",
                "gitlab",
                "apiUrl",
                "https://git.internal.example/api/v4",
                "project",
                "team/calc",
                "protectedBranches",
                List.of(),
                "hookSecret",
                SECRET);
    }

    private static Map<String, Object> jira() {
        return Map.of("baseUrl", "http://localhost:9", "secret", SECRET);
    }

    /** A's Jira connection (to a port nothing answers on: no row reads a ticket). */
    private static void jiraOfA() {
        as("wanda")
                .body(jira())
                .put("/api/workspaces/" + A + "/tickets/jira")
                .then()
                .statusCode(200);
    }

    private static Map<String, Object> alertReceiver() {
        return Map.of("auth", "bearer", "secret", SECRET, "repo", "droid-calc");
    }

    private static String freshAlertReceiver() {
        String name = "matrix-alerts-" + FRESH.incrementAndGet();
        as("wanda")
                .body(alertReceiver())
                .put("/api/workspaces/" + A + "/alert-receivers/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    /** A resolved Alertmanager group nobody saw firing (so ignored once authenticated), unique per call. */
    private static Call alertmanagerHook(@Nullable String authorization) {
        as("wanda")
                .body(alertReceiver())
                .put("/api/workspaces/" + A + "/alert-receivers/matrix-alerts")
                .then()
                .statusCode(200);
        Map<String, Object> payload = Map.of(
                "version",
                "4",
                "groupKey",
                "{}:{alertname=\"Matrix\",n=\"" + FRESH.incrementAndGet() + "\"}",
                "status",
                "resolved",
                "receiver",
                "drydock",
                "groupLabels",
                Map.of("alertname", "Matrix"),
                "alerts",
                List.of(Map.of(
                        "status", "resolved", "labels", Map.of("alertname", "Matrix"), "annotations", Map.of())));
        return json(
                "POST",
                "/api/hooks/alertmanager/" + A + "/matrix-alerts",
                payload,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    /** A GitLab note on a merge request Drydock did not open (so ignored once authenticated), unique per call. */
    private static Call gitlabHook(@Nullable String token) {
        Map<String, Object> note = Map.of(
                "object_kind",
                "note",
                "user",
                Map.of("username", "matrix"),
                "object_attributes",
                Map.of(
                        "id",
                        FRESH.incrementAndGet() + System.nanoTime(),
                        "note",
                        "LGTM",
                        "noteable_type",
                        "MergeRequest"),
                "merge_request",
                Map.of("iid", 999_999));
        return json(
                "POST",
                "/api/hooks/gitlab/" + A + "/" + REPO,
                note,
                token == null
                        ? Map.of("X-Gitlab-Event", "Note Hook")
                        : Map.of("X-Gitlab-Event", "Note Hook", "X-Gitlab-Token", token));
    }

    private static Map<String, Object> budget() {
        return Map.of("scope", "user", "subject", "matrix-nobody", "period", "day", "maxTokens", 1_000_000);
    }

    // Fresh targets for destructive rows: each caller gets its own, so an allowed delete leaves the next caller's
    // target in place.

    private static String freshRepository() {
        String name = "matrix-del-" + FRESH.incrementAndGet();
        as("wanda")
                .body(Map.of("name", name, "path", repoPath, "branch", "main"))
                .post("/api/workspaces/" + A + "/repositories")
                .then()
                .statusCode(201);
        return name;
    }

    private String freshMemory() {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into droid_memory(workspace, repo, text, created_at, classification) values (?, '', 'the matrix remembers', now(), 'internal') returning id")) {
            ps.setString(1, A);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return Long.toString(rs.getLong(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static volatile String migration = "";
    private static volatile String unplannedMigration = "";

    /** A migration of A whose plan (one task, t1) a person put and nobody approved: nothing of it runs. */
    private static synchronized String migrationOfA() {
        if (migration.isEmpty()) {
            String id = planFailedMigration();
            as("wanda")
                    .body(Map.of(
                            "tasks",
                            List.of(Map.of(
                                    "id", "t1", "repository", "droid-calc", "scope", "calc.py", "acceptance", "true"))))
                    .put("/api/workspaces/" + A + "/migrations/" + id + "/plan")
                    .then()
                    .statusCode(200);
            migration = id;
        }
        return migration;
    }

    /** A migration of A whose planner wrote no plan: approving it is refused (409), so it never runs. */
    private static synchronized String unplannedMigrationOfA() {
        if (unplannedMigration.isEmpty()) {
            unplannedMigration = planFailedMigration();
        }
        return unplannedMigration;
    }

    private static String planFailedMigration() {
        String id = as("wanda")
                .body(Map.of("goal", "[script:matrix-doc] matrix migration", "repositories", List.of("droid-calc")))
                .post("/api/workspaces/" + A + "/migrations")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try {
            Poll.until(
                    () -> as("wanda")
                            .get("/api/workspaces/" + A + "/migrations/" + id)
                            .then()
                            .extract()
                            .jsonPath(),
                    j -> "plan_failed".equals(j.getString("state")),
                    Duration.ofSeconds(90),
                    j -> j.prettify());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return id;
    }

    private static volatile String webhook = "";

    /** A webhook of A that stays (on loopback, so only a drydock-admin may register it). */
    private static synchronized String webhookOfA() {
        if (webhook.isEmpty()) {
            webhook = freshWebhook();
        }
        return webhook;
    }

    private static String freshWebhook() {
        return as("alice")
                .body(Map.of(
                        "url",
                        "http://127.0.0.1:9/matrix-hooks",
                        "events",
                        List.of("session.finished"),
                        "secret",
                        SECRET))
                .post("/api/workspaces/" + A + "/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A queued delivery of A's webhook (a ping). */
    private static String freshDelivery() {
        return as("alice")
                .post("/api/workspaces/" + A + "/webhooks/" + webhookOfA() + "/ping")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** A's registered repository, once it is indexed (the code view shows files at the indexed commit). */
    private static String indexedRepoOfA() {
        try {
            Poll.until(
                    () -> as("wanda")
                            .get("/api/workspaces/" + A + "/repositories/" + REPO)
                            .then()
                            .extract()
                            .<String>path("status"),
                    "ready"::equals,
                    Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return REPO;
    }

    /** A package mirror declared by the drydock-admin. */
    /** A stdio MCP server only workspace B may use (its command lists nothing; removed after each test). */
    private static Map<String, Object> mcpServer() {
        return Map.of("transport", "stdio", "command", "true", "workspaces", List.of(B));
    }

    private static String freshMcpServer() {
        String name = "matrix-mcp-" + FRESH.incrementAndGet();
        as("alice")
                .body(mcpServer())
                .put("/api/admin/mcp-servers/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    private static String freshMirror() {
        String name = "matrix-mirror-" + FRESH.incrementAndGet();
        as("alice")
                .body(Map.of("kind", "npm", "url", "http://matrix-mirror.invalid/npm/"))
                .put("/api/admin/package-mirrors/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    /** A package mirror A's admin chose for A's sandboxes. */
    private static String freshChosenMirror() {
        String name = freshMirror();
        as("wanda")
                .body(Map.of())
                .put("/api/workspaces/" + A + "/package-mirrors/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    /** The registered repository of A has a setup step. */
    private static void setupOfRepo() {
        as("wanda")
                .body(Map.of("command", "true"))
                .put("/api/workspaces/" + A + "/repositories/" + REPO + "/setup")
                .then()
                .statusCode(200);
    }

    private static String freshSecret() {
        String name = "matrix-del-" + FRESH.incrementAndGet();
        as("wanda")
                .body(Map.of("value", "v"))
                .put("/api/workspaces/" + A + "/secrets/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    private static String freshKeyOfMike() {
        return as("mike")
                .body(Map.of("name", "matrix-del-" + FRESH.incrementAndGet(), "expiresInDays", 7))
                .post("/api/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static String freshEndpoint() {
        String name = "matrix-del-" + FRESH.incrementAndGet();
        as("alice")
                .body(endpoint())
                .put("/api/admin/model-endpoints/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    private static String freshRoute() {
        String name = "matrix-del-" + FRESH.incrementAndGet();
        as("alice")
                .body(route(name))
                .put("/api/admin/model-routes/" + name)
                .then()
                .statusCode(200);
        return name;
    }

    private static String freshBudget() {
        return as("alice")
                .body(budget())
                .post("/api/admin/model-budgets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static String freshModelHost() {
        String host = "matrix-del-" + FRESH.incrementAndGet() + ".invalid";
        as("alice")
                .body(Map.of("host", host, "reason", "matrix"))
                .post("/api/admin/model-hosts")
                .then()
                .statusCode(200);
        return host;
    }

    private static String freshFolder() {
        try {
            return Files.createDirectories(LOCAL_ROOT
                            .resolve("matrix-roots")
                            .resolve(ProcessHandle.current().pid() + "-" + FRESH.incrementAndGet()))
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String freshLocalRoot() {
        String folder = freshFolder();
        as("alice")
                .body(Map.of("path", folder))
                .post("/api/admin/repository-sources/local-roots")
                .then()
                .statusCode(200);
        return folder;
    }

    private static String freshGitHost() {
        String host = "matrix-del-" + FRESH.incrementAndGet() + ".example";
        as("alice")
                .body(Map.of("host", host))
                .post("/api/admin/repository-sources/allowed-hosts")
                .then()
                .statusCode(200);
        return host;
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(Tokens.of(user)).contentType(ContentType.JSON);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Calls one row as every caller; returns its line of the report and adds what did not match to {@code mismatches}. */
    private String run(Row row, List<String> mismatches) {
        long rowStarted = System.nanoTime();
        StringBuilder line =
                new StringBuilder("| ").append(row.name().replace("|", "/")).append(" |");
        for (Caller caller : Caller.values()) {
            Call call = row.call().apply(caller);
            Answer answer = send(row.channel(), caller, call);
            char expected = row.expected().charAt(caller.ordinal());
            line.append(' ')
                    .append(answer.outcome())
                    .append(' ')
                    .append(answer.status())
                    .append(" |");
            if (answer.outcome() != expected) {
                mismatches.add(row.name() + " as " + caller.label() + ": expected " + expected + ", got "
                        + answer.outcome() + " (" + call.method() + " " + call.path() + " -> " + answer.status() + " "
                        + excerpt(answer.body()) + ")");
            }
            String secret = row.secretOfA().get();
            boolean outsider = caller == Caller.ANONYMOUS || caller == Caller.MEMBER_B || caller == Caller.ADMIN_B;
            if (outsider && !secret.isEmpty() && answer.body().contains(secret)) {
                mismatches.add(row.name() + " as " + caller.label() + ": the answer shows " + secret
                        + ", which is workspace A's");
            }
        }
        return line.append(' ')
                .append((System.nanoTime() - rowStarted) / 1_000_000)
                .append(" |\n")
                .toString();
    }

    /** What a cell got: the status, the outcome letter it means, and the body (not read for a stream). */
    record Answer(int status, char outcome, String body) {}

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** The matrix as the last run saw it, for people: target/authorization-matrix.md. */
    private static void writeReport(String table) {
        try {
            Files.writeString(
                    Path.of("target", "authorization-matrix.md"),
                    "# Authorization matrix (AuthorizationMatrixTest)\n\n" + table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(Channel channel, Caller caller, Call call) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(call.path())).timeout(Duration.ofSeconds(60));
        HttpClient client = HTTP;
        if (caller.user != null && channel == Channel.BEARER) {
            request.header("Authorization", "Bearer " + Tokens.of(caller.user));
        }
        if (channel == Channel.PORTAL && caller.user != null) {
            client = BROWSERS.get(caller);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (channel == Channel.PORTAL && !Set.of("GET", "HEAD").contains(call.method())) {
            headers.put("Origin", origin());
        }
        headers.putAll(call.headers());
        headers.forEach((k, v) -> {
            if (!v.isEmpty()) {
                request.header(k, v);
            }
        });
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        request.method(
                call.method(),
                call.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        try {
            HttpResponse<InputStream> response = client.sendAsync(
                            request.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(60, TimeUnit.SECONDS);
            String text;
            try (InputStream body = response.body()) {
                // an event stream is judged by its status; its body would not end
                text = "text/event-stream".equals(call.headers().get("Accept")) && response.statusCode() == 200
                        ? ""
                        : new String(body.readNBytes(4 << 20), StandardCharsets.UTF_8);
            }
            return new Answer(
                    response.statusCode(),
                    outcome(
                            response.statusCode(),
                            response.headers().firstValue("Location").orElse(null)),
                    text);
        } catch (Exception e) {
            throw new IllegalStateException(call.method() + " " + call.path() + " as " + caller.label() + " failed", e);
        }
    }

    private static char outcome(int status, @Nullable String location) {
        if (status == 401
                || (status >= 300
                        && status < 400
                        && location != null
                        && location.contains("/protocol/openid-connect/auth"))) {
            return 'U';
        }
        return switch (status) {
            case 403 -> 'F';
            case 404 -> 'H';
            default -> status >= 500 ? '!' : 'A';
        };
    }

    private String origin() {
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    /** Sends a /v1 call with a bearer token; returns the request id the answer names. */
    private String modelCall(Call call, String token) {
        var spec = given().header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body(call.body());
        call.headers().forEach(spec::header);
        return spec.post(call.path()).then().statusCode(200).extract().path("drydock.request_id");
    }

    /** Every JAX-RS resource method, from a Jandex index of the server's classes: "GET /api/x/{id}", SSE methods marked "(SSE)". */
    private static Set<String> resourceMethods() throws IOException {
        Path classes = Path.of("target", "classes");
        assertThat(classes.resolve("dev/drydock/server"))
                .as("the server's compiled classes")
                .isDirectory();
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        DotName pathName = DotName.createSimple("jakarta.ws.rs.Path");
        DotName produces = DotName.createSimple("jakarta.ws.rs.Produces");
        List<String> verbs = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
        Set<String> out = new TreeSet<>();
        for (ClassInfo c : index.getKnownClasses()) {
            AnnotationInstance classPath = c.declaredAnnotation(pathName);
            if (classPath == null) {
                continue;
            }
            for (MethodInfo m : c.methods()) {
                for (String verb : verbs) {
                    if (m.declaredAnnotation(DotName.createSimple("jakarta.ws.rs." + verb)) == null) {
                        continue;
                    }
                    AnnotationInstance methodPath = m.declaredAnnotation(pathName);
                    String path = join(
                            classPath.value().asString(),
                            methodPath == null ? "" : methodPath.value().asString());
                    AnnotationInstance p = m.declaredAnnotation(produces);
                    boolean sse =
                            p != null && List.of(p.value().asStringArray()).contains("text/event-stream");
                    out.add(verb + " " + path + (sse ? " (SSE)" : ""));
                }
            }
        }
        return out;
    }

    private static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** The /v1 routes the front door put on the Vert.x router: "POST /v1/chat/completions", "ANY /v1/*". */
    private Set<String> frontDoorRoutes() {
        Set<String> out = new TreeSet<>();
        for (Route r : router.routes()) {
            String path = r.getPath();
            if (path == null || !path.startsWith("/v1")) {
                continue;
            }
            String shown = path.endsWith("/") ? path + "*" : path;
            Set<HttpMethod> methods = r.methods();
            if (methods == null || methods.isEmpty()) {
                out.add("ANY " + shown);
            } else {
                methods.forEach(m -> out.add(m.name().toUpperCase(Locale.ROOT) + " " + shown));
            }
        }
        assertThat(out).as("the /v1 routes on the Vert.x router").isNotEmpty();
        return out;
    }
}
