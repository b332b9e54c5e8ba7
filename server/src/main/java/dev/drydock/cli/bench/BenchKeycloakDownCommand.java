package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.appliance.EmbeddedDatabase;
import dev.drydock.server.appliance.KeycloakProcess;
import dev.drydock.server.appliance.RealmTemplate;
import java.io.IOException;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.Socket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Keycloak-down fault with real processes: the appliance's embedded PostgreSQL and Keycloak (the
 * classes {@code ./drydock up} uses) and the packaged server in its own JVM. It gets an API token and a
 * portal session while Keycloak runs, stops Keycloak, and checks: N API calls with the token all 2xx;
 * the signed-in portal session still answers; a browser without a session gets the "Sign-in is
 * unavailable" page (503, HTML) instead of a redirect to a dead Keycloak; the portal session, once its
 * tokens expire and cannot be refreshed, lands on the same page. Then it starts Keycloak again and
 * checks that, without a server restart, the portal sends people to Keycloak again and a new login (a
 * portal sign-in and a token) works; the server process must never exit. Last line: one JSON object.
 */
@Command(
        name = "keycloak-down",
        description = "The appliance with Keycloak stopped under a running server: API calls with a valid token,"
                + " the sign-in page, a portal session's failed refresh, and recovery once Keycloak is back.")
public final class BenchKeycloakDownCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGIN_ACTION = Pattern.compile("action=\"([^\"]*login-actions/authenticate[^\"]*)\"");
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password-" + UUID.randomUUID();
    private static final String CLIENT = "drydock-bench";
    private static final String UNAVAILABLE = "Sign-in is unavailable";

    @Option(
            names = "--calls",
            defaultValue = "500",
            description = "API calls with the token while Keycloak is down (default ${DEFAULT-VALUE})")
    int calls;

    @Option(
            names = "--portal-token-lifespan",
            defaultValue = "PT45S",
            description =
                    "lifespan of the portal's tokens, after which its session needs a refresh (default ${DEFAULT-VALUE})")
    Duration portalLifespan;

    @Option(names = "--work-dir", description = "scratch folder (default: a new temporary folder)")
    @Nullable
    Path workDir;

    @Option(
            names = "--app",
            description = "the packaged server (default: $DRYDOCK_ROOT/server/target/quarkus-app/quarkus-run.jar)")
    @Nullable
    Path app;

    @Option(
            names = "--keycloak-zip",
            description = "the Keycloak distribution (default: $DRYDOCK_KEYCLOAK_ZIP, which ./drydock sets)")
    @Nullable
    Path keycloakZip;

    @Override
    public Integer call() throws Exception {
        Path jar = app != null
                ? app
                : Path.of(
                        System.getenv().getOrDefault("DRYDOCK_ROOT", "."), "server/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            System.err.println("bench keycloak-down: no packaged server at " + jar + " (./drydock build makes it)");
            return 2;
        }
        String zipEnv = System.getenv("DRYDOCK_KEYCLOAK_ZIP");
        Path zip = keycloakZip != null ? keycloakZip : zipEnv != null ? Path.of(zipEnv) : null;
        if (zip == null || !Files.isRegularFile(zip)) {
            System.err.println(
                    "bench keycloak-down: no Keycloak distribution (--keycloak-zip or DRYDOCK_KEYCLOAK_ZIP)");
            return 2;
        }
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("drydock-kcdown-");
        Result r = run(jar.toAbsolutePath(), zip.toAbsolutePath(), work);
        System.out.println(r.report());
        System.out.println(r.json());
        return r.ok() ? 0 : 1;
    }

    /** What a run measured. */
    public record Result(
            int calls,
            int calls2xx,
            double callP50Ms,
            double callMaxMs,
            int signedInPage,
            int signInPage,
            boolean signInPageReadable,
            double signInPageAfterS,
            double keycloakDownS,
            int refreshStatus,
            boolean refreshLandsOnPage,
            double keycloakRestartS,
            double recoveredAfterS,
            boolean newLogin,
            boolean newToken,
            boolean serverStayedUp) {
        boolean ok() {
            return calls2xx == calls
                    && signedInPage == 200
                    && signInPage == 503
                    && signInPageReadable
                    && refreshLandsOnPage
                    && newLogin
                    && newToken
                    && serverStayedUp;
        }

        String report() {
            return String.format(
                    Locale.ROOT,
                    "Keycloak stopped: %d of %d API calls with a token issued before answered 2xx (p50 %.1f ms, max %.1f ms);"
                            + " a signed-in portal page %d; a browser without a session %d%s (%.2f s after its first request);"
                            + " the portal session once its tokens expired: %d%s. Keycloak down %.1f s in all, started again in %.1f s;"
                            + " %.1f s later the portal sent people to Keycloak again; new portal login %s, new token %s;"
                            + " server process %s",
                    calls2xx,
                    calls,
                    callP50Ms,
                    callMaxMs,
                    signedInPage,
                    signInPage,
                    signInPageReadable ? " with the sign-in-unavailable page" : " WITHOUT the page",
                    signInPageAfterS,
                    refreshStatus,
                    refreshLandsOnPage ? " to /signin, the same page" : ", not the page",
                    keycloakDownS,
                    keycloakRestartS,
                    recoveredAfterS,
                    newLogin ? "ok" : "FAILED",
                    newToken ? "ok" : "FAILED",
                    serverStayedUp ? "stayed up" : "EXITED");
        }

        String json() {
            return String.format(
                    Locale.ROOT,
                    "{\"calls\": %d, \"calls_2xx\": %d, \"call_p50_ms\": %.2f, \"call_max_ms\": %.2f,"
                            + " \"signed_in_page\": %d, \"signin_page\": %d, \"signin_page_readable\": %b,"
                            + " \"signin_page_after_s\": %.2f, \"keycloak_down_s\": %.1f,"
                            + " \"refresh_status\": %d, \"refresh_lands_on_page\": %b,"
                            + " \"keycloak_restart_s\": %.1f, \"recovered_after_s\": %.2f, \"new_login\": %b,"
                            + " \"new_token\": %b, \"server_stayed_up\": %b}",
                    calls,
                    calls2xx,
                    callP50Ms,
                    callMaxMs,
                    signedInPage,
                    signInPage,
                    signInPageReadable,
                    signInPageAfterS,
                    keycloakDownS,
                    refreshStatus,
                    refreshLandsOnPage,
                    keycloakRestartS,
                    recoveredAfterS,
                    newLogin,
                    newToken,
                    serverStayedUp);
        }
    }

    /** Runs the scenario with the packaged server {@code jar} and Keycloak from {@code zip} in {@code work}. */
    public Result run(Path jar, Path zip, Path work) throws Exception {
        String password = UUID.randomUUID().toString();
        EmbeddedDatabase.Credentials credentials =
                new EmbeddedDatabase.Credentials(password, password, password, password);
        int serverPort = BenchServerProcesses.freePort();
        URI base = URI.create("http://localhost:" + serverPort + "/");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(work.resolve("pgdata"), 0, credentials)) {
            // the server and Keycloak stop before the database they use (the finally below runs first)
            return run(jar, zip, work, db, password, serverPort, base);
        }
    }

    private Result run(Path jar, Path zip, Path work, EmbeddedDatabase db, String password, int serverPort, URI base)
            throws Exception {
        String portalSecret = "bench-portal-" + UUID.randomUUID();
        String serverSecret = "bench-server-" + UUID.randomUUID();
        Process server = null;
        KeycloakProcess keycloak = null;
        try {
            KeycloakProcess.Setup setup = new KeycloakProcess.Setup(
                    zip,
                    work.resolve("keycloak"),
                    BenchServerProcesses.freePort(),
                    BenchServerProcesses.freePort(),
                    db.jdbcUrl("keycloak"),
                    EmbeddedDatabase.KEYCLOAK,
                    password,
                    realm(base, portalSecret, serverSecret),
                    "bench-admin-" + UUID.randomUUID(),
                    Duration.ofMinutes(5),
                    work.resolve("keycloak.log"));
            keycloak = KeycloakProcess.start(setup, line -> System.err.println("[keycloak] " + line));
            server = server(jar, work, serverPort, db, password, keycloak.realmUrl(), portalSecret, serverSecret);
            BenchServerProcesses.awaitReady(serverPort, server, "/q/health/ready");
            HttpClient api = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();

            // while Keycloak runs: a token, one call (Quarkus fetches and caches the realm's keys), a portal session
            String token = token(api, keycloak.realmUrl());
            expect(call(api, base, token).statusCode(), 200, "an API call before the stop");
            HttpClient portal = signIn(base);

            keycloak.close();
            keycloak = null;
            long stopped = System.nanoTime();
            if (listening(setup.port())) {
                throw new IllegalStateException("Keycloak still listens on " + setup.port() + " after its stop");
            }

            // tokens already issued: N calls
            List<Double> ms = new ArrayList<>();
            int ok = 0;
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                int status = call(api, base, token).statusCode();
                ms.add((System.nanoTime() - t) / 1e6);
                if (status / 100 == 2) {
                    ok++;
                }
            }
            ms.sort(null);
            int signedInPage = get(portal, base.resolve("/portal")).statusCode();

            // a browser without a session: the page, once the probe's cached answer has expired
            HttpClient browser = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            long asked = System.nanoTime();
            HttpResponse<String> page = poll(
                    () -> get(browser, base.resolve("/portal")),
                    r -> r.statusCode() != 302,
                    Duration.ofSeconds(60),
                    "the sign-in page while Keycloak is down");
            double pageAfter = (System.nanoTime() - asked) / 1e9;
            boolean readable = page.statusCode() == 503
                    && page.headers().firstValue("Content-Type").orElse("").startsWith("text/html")
                    && page.body().contains(UNAVAILABLE)
                    && !page.body().contains("Exception");

            // the portal session once its tokens expire: Quarkus cannot refresh them and sends it to /signin
            HttpResponse<String> expired = poll(
                    () -> get(portal, base.resolve("/portal")),
                    r -> r.statusCode() != 200,
                    portalLifespan.plusMinutes(1),
                    "the portal session's tokens to expire");
            String location = expired.headers().firstValue("Location").orElse("");
            boolean refreshLandsOnPage = false;
            if (expired.statusCode() / 100 == 3 && location.endsWith("/signin")) {
                HttpResponse<String> landing = get(portal, base.resolve(location));
                refreshLandsOnPage =
                        landing.statusCode() == 503 && landing.body().contains(UNAVAILABLE);
            }
            boolean upWhileDown = server.isAlive();

            // Keycloak back: no server restart
            long restart = System.nanoTime();
            double downFor = (restart - stopped) / 1e9;
            keycloak = KeycloakProcess.start(setup, line -> System.err.println("[keycloak] " + line));
            double restartS = (System.nanoTime() - restart) / 1e9;
            long back = System.nanoTime();
            poll(
                    () -> get(browser, base.resolve("/portal")),
                    r -> r.statusCode() == 302
                            && r.headers().firstValue("Location").orElse("").contains("/protocol/openid-connect/auth"),
                    Duration.ofSeconds(60),
                    "the portal to send people to Keycloak again");
            double recovered = (System.nanoTime() - back) / 1e9;
            boolean newLogin;
            try {
                signIn(base);
                newLogin = true;
            } catch (IllegalStateException e) {
                System.err.println("bench keycloak-down: the new login failed: " + e.getMessage());
                newLogin = false;
            }
            boolean newToken = call(api, base, token(api, keycloak.realmUrl())).statusCode() == 200;
            return new Result(
                    calls,
                    ok,
                    ms.isEmpty() ? 0 : ms.get(ms.size() / 2),
                    ms.isEmpty() ? 0 : ms.getLast(),
                    signedInPage,
                    page.statusCode(),
                    readable,
                    pageAfter,
                    downFor,
                    expired.statusCode(),
                    refreshLandsOnPage,
                    restartS,
                    recovered,
                    newLogin,
                    newToken,
                    upWhileDown && server.isAlive());
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            if (keycloak != null) {
                keycloak.close();
            }
        }
    }

    /** The shipped realm, a bench user in workspace {@code demo}, a password-grant client; short portal tokens. */
    private String realm(URI base, String portalSecret, String serverSecret) throws IOException {
        RealmTemplate realm = RealmTemplate.shipped(
                        base.toString().replaceAll("/$", ""),
                        portalSecret,
                        "bench-automation-" + UUID.randomUUID(),
                        serverSecret)
                .withPasswordGrantClient(CLIENT, Duration.ofHours(1))
                .withUser(new RealmTemplate.InitialUser(
                        USER, PASSWORD, "Bench", "User", "bench@example.test", List.of("/workspaces/demo/members")));
        ObjectNode json = (ObjectNode) JSON.readTree(realm.toJson());
        // the portal's tokens (and so its session's ID token) expire soon, so that its refresh is exercised
        json.put("accessTokenLifespan", portalLifespan.toSeconds());
        for (JsonNode client : json.path("clients")) {
            if (client.path("clientId").asText().equals("drydock-portal") && client instanceof ObjectNode c) {
                JsonNode attributes = c.get("attributes");
                ObjectNode a = attributes instanceof ObjectNode o ? o : c.putObject("attributes");
                a.put("access.token.lifespan", Long.toString(portalLifespan.toSeconds()));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    }

    private static Process server(
            Path jar,
            Path work,
            int port,
            EmbeddedDatabase db,
            String password,
            String realmUrl,
            String portalSecret,
            String serverSecret)
            throws IOException {
        Path home = Files.createDirectories(work.resolve("server"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m"));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("quarkus.datasource.jdbc.url", db.jdbcUrl("drydock"));
        props.put("quarkus.datasource.username", db.user());
        props.put("quarkus.datasource.password", password);
        props.put("quarkus.flyway.username", db.owner());
        props.put("quarkus.flyway.password", password);
        props.put("quarkus.oidc.auth-server-url", realmUrl);
        props.put("quarkus.oidc.portal.credentials.secret", portalSecret);
        props.put("drydock.identity.client-secret", serverSecret);
        props.put("drydock.appliance.home", home.toString());
        props.put("drydock.audit.checkpoint-dir", home.resolve("audit").toString());
        props.put(
                "drydock.sandbox.local.work-root",
                Files.createDirectories(home.resolve("sandboxes")).toString());
        props.put(
                "drydock.droid.mirror-root",
                Files.createDirectories(home.resolve("mirrors")).toString());
        props.put("drydock.repos.data-dir", home.resolve("repos").toString());
        props.put("drydock.session.resume-on-start", "false");
        props.put("quarkus.log.file.enabled", "true");
        props.put("quarkus.log.file.path", home.resolve("server.log").toString());
        props.put("quarkus.log.console.level", "WARN");
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile())
                .start();
    }

    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    private interface Done {
        boolean test(HttpResponse<String> r);
    }

    /** Repeats {@code request} until {@code done}; another process's state offers nothing else to wait on. */
    private static HttpResponse<String> poll(Request request, Done done, Duration timeout, String what)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = request.send();
            if (done.test(r)) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what + " (last answer "
                        + r.statusCode() + ")");
            }
            // the answer comes from other processes (the server, Keycloak) that announce nothing: ask again shortly
            Thread.sleep(250);
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(HttpClient client, URI base, String token) throws Exception {
        return client.send(
                HttpRequest.newBuilder(base.resolve("/api/me"))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String token(HttpClient client, String realmUrl) throws Exception {
        String form = "grant_type=password&client_id=" + CLIENT + "&username=" + USER + "&password=" + encode(PASSWORD)
                + "&scope=openid";
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(r.statusCode(), 200, "the token endpoint");
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    /** Signs the bench user in to the portal as a browser does; the client keeps the session cookie. */
    private static HttpClient signIn(URI base) throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new Jar())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> toKeycloak = get(browser, base.resolve("/portal"));
        String login = toKeycloak
                .headers()
                .firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(
                        "the portal did not send the browser to sign in (" + toKeycloak.statusCode() + ")"));
        HttpResponse<String> page = get(browser, URI.create(login));
        Matcher action = LOGIN_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new IllegalStateException("no login form on Keycloak's page (" + page.statusCode() + ")");
        }
        HttpResponse<String> back = browser.send(
                HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=" + USER + "&password=" + encode(PASSWORD) + "&credentialId="))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = back.headers()
                .firstValue("Location")
                .orElseThrow(
                        () -> new IllegalStateException("Keycloak did not accept the login: " + back.statusCode()));
        get(browser, base.resolve(callback));
        int home = get(browser, base.resolve("/portal")).statusCode();
        if (home != 200) {
            throw new IllegalStateException("the portal's home page answered " + home + " after the login");
        }
        return browser;
    }

    private static void expect(int status, int expected, String what) {
        if (status != expected) {
            throw new IllegalStateException(what + " answered " + status + ", not " + expected);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Cookies per host and port, as a browser keeps them (a {@code Max-Age=0} or empty value removes one). */
    private static final class Jar extends CookieHandler {
        private final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            Map<String, String> mine = cookies.getOrDefault(uri.getHost() + ":" + uri.getPort(), Map.of());
            return mine.isEmpty()
                    ? Map.of()
                    : Map.of(
                            "Cookie",
                            List.of(mine.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            Map<String, String> mine =
                    cookies.computeIfAbsent(uri.getHost() + ":" + uri.getPort(), k -> new ConcurrentHashMap<>());
            responseHeaders.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String v : values) {
                        String pair = v.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            continue;
                        }
                        String key = pair.substring(0, eq).strip();
                        String value = pair.substring(eq + 1).strip();
                        if (value.isEmpty() || v.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                            mine.remove(key);
                        } else {
                            mine.put(key, Objects.requireNonNull(value));
                        }
                    }
                }
            });
        }
    }
}
