package dev.drydock.server.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.PortalSignIn;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Generated bad requests against every operation of {@code /api}, {@code /portal} and {@code /v1}: the
 * operations and their JSON bodies come from the server's OpenAPI document, form fields and any route the
 * document leaves out from a Jandex index of the resources (as {@code AuthorizationMatrixTest} finds them),
 * {@code /v1} from the Vert.x router. Each request breaks something: wrong types, missing or extra
 * fields, huge and deeply nested bodies, unicode, NUL, bad ids and path parameters, wrong content types,
 * bad credentials. No answer may be a 5xx, and neither an answer nor a log line written during the run
 * may carry a stack trace.
 *
 * <p>The seed is printed; {@code -Ddrydock.fuzz.seed=N} replays a run, {@code -Ddrydock.fuzz.requests=N}
 * changes its size. Requests are generated in one thread from the seed, then sent in parallel over
 * keep-alive connections.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class ApiFuzzTest {
    private static final int REQUESTS = Integer.getInteger("drydock.fuzz.requests", 10_000);
    private static final int PARALLEL = 16;
    private static final String WORKSPACE = "fuzz";
    private static final int BODY_PEEK = 256 * 1024;
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/:]+)(?::[^}]*)?}");

    /** What a stack trace or an exception's class name looks like in a body or a log line. */
    static final Pattern STACK_TRACE = Pattern.compile("(?:\\tat |\\bat )[\\w$.]+\\([\\w$]*\\.java:\\d+\\)"
            + "|\\b(?:java|javax|jakarta|org|io|com|dev)\\.[a-z][\\w.]*\\.[A-Z]\\w*(?:Exception|Error)\\b"
            + "|Caused by: ");

    @TestHTTPResource("/")
    URI base;

    @Inject
    FrontDoorRouter router;

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger retried = new AtomicInteger();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> nanosByOperation = new ConcurrentHashMap<>();

    /** Keeps the Vert.x router, whose routes the front door adds, so that the test can list {@code /v1}. */
    @ApplicationScoped
    static class FrontDoorRouter {
        private volatile @Nullable Router router;

        void capture(@Observes Router r) {
            router = r;
        }

        List<Route> routes() {
            Router r = router;
            return r == null ? List.of() : r.getRoutes();
        }
    }

    /** One operation: a method, a path template, its parameters, and the bodies it takes. */
    record Operation(
            String method,
            String path,
            List<String> pathParams,
            List<String> queryParams,
            List<String> formFields,
            @Nullable JsonNode jsonSchema,
            boolean sse) {
        String name() {
            return method + " " + path;
        }
    }

    /** One generated request; {@code caller} says which credential it carries. */
    record Fuzzed(
            Operation op,
            String kind,
            String method,
            String pathAndQuery,
            byte @Nullable [] body,
            @Nullable String contentType,
            Caller caller,
            Map<String, String> headers) {
        String describe() {
            String b = body == null ? "no body" : body.length + " bytes";
            String shown = body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            return op.name() + " [" + kind + ", " + caller + "] " + method + " " + abbreviate(pathAndQuery, 200) + " ("
                    + contentType + ", " + b + ") " + abbreviate(shown, 200);
        }
    }

    enum Caller {
        ADMIN_TOKEN,
        MEMBER_TOKEN,
        API_KEY,
        NONE,
        GARBAGE,
        PORTAL,
        PORTAL_NO_ORIGIN
    }

    @Test
    void shouldAnswerEveryGeneratedBadRequestWithoutA5xxOrAStackTraceWhenTheApiIsFuzzed() throws Exception {
        // Given the operations, a workspace of the fuzzer's own, credentials and a log recorder
        long seed = Long.getLong("drydock.fuzz.seed", System.nanoTime());
        System.out.println("ApiFuzzTest seed " + seed + " (replay with -Ddrydock.fuzz.seed=" + seed + ")");
        List<Operation> ops = operations();
        given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("slug", WORKSPACE, "displayName", "Fuzz"))
                .post(base.resolve("/api/workspaces"))
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(201, 409));
        String apiKey = given().auth()
                .oauth2(Tokens.of("alice"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "fuzz", "expiresInDays", 1))
                .post(base.resolve("/api/me/api-keys"))
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        String portalCookie = PortalSignIn.cookie(base, "alice");
        Generator generator = new Generator(new Random(seed), ops);
        List<Fuzzed> requests = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(generator.next(i));
        }
        Map<Caller, String> authorization = Map.of(
                Caller.ADMIN_TOKEN, "Bearer " + Tokens.of("alice"),
                Caller.MEMBER_TOKEN, "Bearer " + Tokens.of("mike"),
                Caller.API_KEY, "Bearer " + apiKey,
                Caller.GARBAGE, "Bearer " + "dd_" + Long.toHexString(seed) + "x.y.z");
        LogRecorder logs = new LogRecorder();
        Logger root = Logger.getLogger("");
        root.addHandler(logs);

        // When every request is sent, PARALLEL at a time
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor();
                ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor()) {
            Semaphore slots = new Semaphore(PARALLEL);
            for (Fuzzed f : requests) {
                slots.acquire();
                pool.submit(() -> {
                    try {
                        send(http, closer, f, authorization, portalCookie, failures, statuses, answered);
                    } finally {
                        slots.release();
                    }
                });
            }
        } finally {
            root.removeHandler(logs);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // Then
        System.out.printf(
                Locale.ROOT,
                "ApiFuzzTest: %d requests over %d operations in %.1f s (load average %.1f), statuses %s, %d sent twice after a closed connection, %d log records captured%n",
                requests.size(),
                ops.size(),
                seconds,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                new TreeMap<>(statuses),
                retried.get(),
                logs.seen.get());
        nanosByOperation.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue().get(), x.getValue().get()))
                .limit(8)
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "  slowest in total: %s %.1f s%n",
                        e.getKey(),
                        e.getValue().get() / 1e9));
        failures.addAll(logs.stackTraces);
        assertThat(failures)
                .as("5xx answers and stack traces (seed " + seed + ", replay with -Ddrydock.fuzz.seed=" + seed + ")")
                .isEmpty();
        Set<String> silent = new TreeSet<>();
        ops.forEach(o -> silent.add(o.name()));
        silent.removeAll(answered);
        assertThat(silent).as("operations that never got a request answered").isEmpty();
    }

    private void send(
            HttpClient http,
            ScheduledExecutorService closer,
            Fuzzed f,
            Map<Caller, String> authorization,
            String portalCookie,
            ConcurrentLinkedQueue<String> failures,
            Map<Integer, AtomicInteger> statuses,
            Set<String> answered) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + f.pathAndQuery()))
                    .timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            // a path the JDK refuses to send is no request at all; the generator only makes valid URIs
            failures.add("the generator made an invalid URI: " + f.describe() + ": " + e.getMessage());
            return;
        }
        b.method(
                f.method(),
                f.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(f.body()));
        if (f.contentType() != null) {
            b.header("Content-Type", f.contentType());
        }
        f.headers().forEach(b::header);
        switch (f.caller()) {
            case PORTAL ->
                b.header("Cookie", portalCookie)
                        .header("Origin", base.toString().replaceAll("/$", ""));
            case PORTAL_NO_ORIGIN -> b.header("Cookie", portalCookie);
            case NONE -> {}
            default -> b.header("Authorization", authorization.get(f.caller()));
        }
        try {
            HttpRequest request = b.build();
            long sent = System.nanoTime();
            HttpResponse<InputStream> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                // a kept-alive connection the server closed after its last answer: once more on a fresh one
                retried.incrementAndGet();
                r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            }
            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            nanosByOperation
                    .computeIfAbsent(f.op().name(), k -> new java.util.concurrent.atomic.AtomicLong())
                    .addAndGet(System.nanoTime() - sent);
            answered.add(f.op().name());
            String body;
            try (InputStream in = r.body()) {
                // an event stream that stays open is closed after a moment: its first frames are what we check
                var close = closer.schedule(
                        () -> {
                            try {
                                in.close();
                            } catch (IOException ignored) {
                                // closing is all we wanted
                            }
                        },
                        3,
                        TimeUnit.SECONDS);
                body = new String(readAtMost(in, BODY_PEEK), StandardCharsets.UTF_8);
                close.cancel(false);
            } catch (IOException e) {
                body = "";
            }
            if (r.statusCode() >= 500) {
                failures.add(r.statusCode() + " for " + f.describe() + ": " + abbreviate(body, 600));
            }
            Matcher trace = STACK_TRACE.matcher(body);
            if (trace.find()) {
                failures.add("a stack trace (" + trace.group() + ") in the " + r.statusCode() + " answer to "
                        + f.describe() + ": " + abbreviate(body, 600));
            }
        } catch (IOException e) {
            failures.add("no answer to " + f.describe() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] buf = new byte[8192];
        var out = new java.io.ByteArrayOutputStream();
        int n;
        while (out.size() < max && (n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static String abbreviate(String s, int max) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    /** Log records written while the fuzzer runs: any with a throwable or a trace in its message is a failure. */
    static final class LogRecorder extends Handler {
        final AtomicInteger seen = new AtomicInteger();
        final ConcurrentLinkedQueue<String> stackTraces = new ConcurrentLinkedQueue<>();

        LogRecorder() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            seen.incrementAndGet();
            String message = String.valueOf(record.getMessage());
            if (record.getThrown() != null || STACK_TRACE.matcher(message).find()) {
                stackTraces.add("a stack trace in the log (" + record.getLevel() + " " + record.getLoggerName() + "): "
                        + abbreviate(message, 400)
                        + (record.getThrown() == null
                                ? ""
                                : " — " + abbreviate(String.valueOf(record.getThrown()), 400)));
            }
        }

        @Override
        public void flush() {
            // nothing buffered
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    // --- the operations ---

    /** The OpenAPI document's operations under /api and /portal, any resource method it leaves out, and /v1. */
    private List<Operation> operations() throws Exception {
        JsonNode doc = json.readTree(given().auth()
                .oauth2(Tokens.of("alice"))
                .queryParam("format", "json")
                .get(base.resolve("/q/openapi"))
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Map<String, Operation> byName = new TreeMap<>();
        Map<String, ResourceMethod> resources = resourceMethods();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            String path = p.getKey();
            if (!(path.startsWith("/api") || path.startsWith("/portal") || path.startsWith("/v1"))) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> m = methods.next();
                String method = m.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                JsonNode op = m.getValue();
                List<String> query = new ArrayList<>();
                for (JsonNode param : op.path("parameters")) {
                    if (param.path("in").asText().equals("query")) {
                        query.add(param.path("name").asText());
                    }
                }
                JsonNode content = op.path("requestBody").path("content");
                @Nullable
                JsonNode schema = content.has("application/json")
                        ? resolve(doc, content.path("application/json").path("schema"), 0)
                        : null;
                List<String> form = new ArrayList<>();
                JsonNode formSchema = content.path("application/x-www-form-urlencoded")
                        .path("schema")
                        .path("properties");
                formSchema.fieldNames().forEachRemaining(form::add);
                ResourceMethod rm = resources.get(method + " " + normalise(path));
                if (rm != null) {
                    for (String f : rm.form()) {
                        if (!form.contains(f)) {
                            form.add(f);
                        }
                    }
                }
                boolean sse = content.has("text/event-stream")
                        || op.path("responses").toString().contains("text/event-stream")
                        || (rm != null && rm.sse());
                byName.put(
                        method + " " + path, new Operation(method, path, pathParams(path), query, form, schema, sse));
            }
        }
        // resource methods the document does not list (hidden ones), with what Jandex knows of them
        Set<String> documented = new TreeSet<>();
        byName.values().forEach(o -> documented.add(o.method() + " " + normalise(o.path())));
        for (ResourceMethod rm : resources.values()) {
            if (!documented.contains(rm.method() + " " + normalise(rm.path()))
                    && (rm.path().startsWith("/api") || rm.path().startsWith("/portal"))) {
                byName.put(
                        rm.method() + " " + rm.path(),
                        new Operation(
                                rm.method(),
                                rm.path(),
                                pathParams(rm.path()),
                                rm.query(),
                                rm.form(),
                                rm.json() ? json.createObjectNode() : null,
                                rm.sse()));
            }
        }
        for (Route r : router.routes()) {
            String path = r.getPath();
            if (path == null || !path.startsWith("/v1")) {
                continue;
            }
            String shown = path.endsWith("/") ? path + "anything" : path;
            Set<HttpMethod> methods = r.methods();
            for (String m : methods == null || methods.isEmpty()
                    ? List.of("GET", "POST", "DELETE")
                    : methods.stream()
                            .map(x -> x.name().toUpperCase(Locale.ROOT))
                            .toList()) {
                @Nullable JsonNode schema = m.equals("POST") ? v1Schema(shown) : null;
                byName.putIfAbsent(
                        m + " " + shown, new Operation(m, shown, List.of(), List.of(), List.of(), schema, false));
            }
        }
        assertThat(byName.keySet())
                .as("the operations")
                .anyMatch(n -> n.startsWith("POST /api"))
                .anyMatch(n -> n.startsWith("POST /portal"))
                .anyMatch(n -> n.startsWith("POST /v1"));
        return new ArrayList<>(byName.values());
    }

    /** The request bodies /v1 documents as OpenAI's API does, which the OpenAPI document does not hold. */
    private JsonNode v1Schema(String path) throws IOException {
        String chat = """
                {"type":"object","properties":{"model":{"type":"string"},"stream":{"type":"boolean"},
                 "max_tokens":{"type":"integer"},"temperature":{"type":"number"},
                 "messages":{"type":"array","items":{"type":"object","properties":{"role":{"type":"string","enum":["system","user","assistant","tool"]},"content":{"type":"string"}}}},
                 "tools":{"type":"array","items":{"type":"object","properties":{"type":{"type":"string"},"function":{"type":"object","properties":{"name":{"type":"string"},"parameters":{"type":"object"}}}}}}}}
                """;
        String embeddings = """
                {"type":"object","properties":{"model":{"type":"string"},"input":{"type":"array","items":{"type":"string"}}}}
                """;
        return json.readTree(path.contains("embeddings") ? embeddings : chat);
    }

    /** The schema with its references inlined, to a bounded depth. */
    private JsonNode resolve(JsonNode doc, JsonNode schema, int depth) {
        if (depth > 6) {
            return json.createObjectNode().put("type", "string");
        }
        JsonNode s = schema;
        if (s.has("$ref")) {
            String ref = s.path("$ref").asText();
            s = doc.at(ref.substring(1));
        }
        var copy = s.deepCopy();
        if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            if (o.has("properties")) {
                var props = json.createObjectNode();
                o.path("properties")
                        .fields()
                        .forEachRemaining(e -> props.set(e.getKey(), resolve(doc, e.getValue(), depth + 1)));
                o.set("properties", props);
            }
            if (o.has("items")) {
                o.set("items", resolve(doc, o.path("items"), depth + 1));
            }
            for (String combo : List.of("allOf", "oneOf", "anyOf")) {
                if (o.path(combo).isArray() && !o.path(combo).isEmpty()) {
                    JsonNode first = resolve(doc, o.path(combo).get(0), depth + 1);
                    o.remove(combo);
                    first.fields().forEachRemaining(e -> o.set(e.getKey(), e.getValue()));
                }
            }
        }
        return copy;
    }

    private static List<String> pathParams(String path) {
        List<String> names = new ArrayList<>();
        Matcher m = TEMPLATE.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String normalise(String path) {
        return TEMPLATE.matcher(path).replaceAll("{}");
    }

    /** A JAX-RS resource method as Jandex sees it. */
    record ResourceMethod(
            String method, String path, List<String> query, List<String> form, boolean json, boolean sse) {}

    /** Every JAX-RS resource method of the server, keyed "METHOD /path/{}". */
    private static Map<String, ResourceMethod> resourceMethods() throws IOException {
        Path classes = Path.of("target", "classes");
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
        DotName consumes = DotName.createSimple("jakarta.ws.rs.Consumes");
        Map<String, ResourceMethod> out = new LinkedHashMap<>();
        for (ClassInfo c : index.getKnownClasses()) {
            AnnotationInstance classPath = c.declaredAnnotation(pathName);
            if (classPath == null) {
                continue;
            }
            for (MethodInfo m : c.methods()) {
                for (String verb : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                    if (m.declaredAnnotation(DotName.createSimple("jakarta.ws.rs." + verb)) == null) {
                        continue;
                    }
                    AnnotationInstance methodPath = m.declaredAnnotation(pathName);
                    String path = join(
                            classPath.value().asString(),
                            methodPath == null ? "" : methodPath.value().asString());
                    AnnotationInstance p = m.declaredAnnotation(produces);
                    if (p == null) {
                        p = c.declaredAnnotation(produces);
                    }
                    boolean sse =
                            p != null && List.of(p.value().asStringArray()).contains("text/event-stream");
                    List<String> query = new ArrayList<>();
                    List<String> form = new ArrayList<>();
                    boolean hasBody = false;
                    for (MethodParameterInfo param : m.parameters()) {
                        AnnotationInstance q =
                                param.declaredAnnotation(DotName.createSimple("jakarta.ws.rs.QueryParam"));
                        AnnotationInstance f =
                                param.declaredAnnotation(DotName.createSimple("jakarta.ws.rs.FormParam"));
                        AnnotationInstance rq =
                                param.declaredAnnotation(DotName.createSimple("org.jboss.resteasy.reactive.RestQuery"));
                        AnnotationInstance rf =
                                param.declaredAnnotation(DotName.createSimple("org.jboss.resteasy.reactive.RestForm"));
                        if (q != null) {
                            query.add(q.value().asString());
                        } else if (f != null) {
                            form.add(f.value().asString());
                        } else if (rq != null) {
                            query.add(
                                    rq.value() == null
                                            ? param.name()
                                            : rq.value().asString());
                        } else if (rf != null) {
                            form.add(
                                    rf.value() == null
                                            ? param.name()
                                            : rf.value().asString());
                        } else if (param.annotations().isEmpty()) {
                            hasBody = true;
                        }
                    }
                    AnnotationInstance cons = m.declaredAnnotation(consumes);
                    if (cons == null) {
                        cons = c.declaredAnnotation(consumes);
                    }
                    boolean json = hasBody
                            && (cons == null
                                    || List.of(cons.value().asStringArray()).contains("application/json"));
                    out.put(verb + " " + normalise(path), new ResourceMethod(verb, path, query, form, json, sse));
                }
            }
        }
        return out;
    }

    private static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    // --- the generator ---

    /** Makes one bad request after another from a seeded random source; every operation in turn. */
    static final class Generator {
        private final Random random;
        private final List<Operation> ops;
        private final ObjectMapper json = new ObjectMapper();

        /** Text that is hard on parsers, databases and templates. */
        static final List<String> NASTY = List.of(
                "",
                " ",
                "\u0000",
                "a\u0000b",
                "\uFEFF",
                "\u202Egnp.exe",
                "\uD83D\uDCA9\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
                "e\u0301\u0301\u0301",
                "Ωmega ☃ 𝄞",
                "\r\n\r\nX-Injected: 1",
                "../../../../etc/passwd",
                "..\\..\\windows",
                "%00",
                "%",
                "${jndi:ldap://x}",
                "{{7*7}}",
                "<script>alert(1)</script>",
                "' or 1=1 --",
                "\"; drop table workspace; --",
                "-1",
                "0",
                "99999999999999999999999",
                "1e999",
                "NaN",
                "null",
                "true",
                "demo",
                "fuzz",
                "\t",
                "\\",
                "\\u0000");

        Generator(Random random, List<Operation> ops) {
            this.random = random;
            this.ops = ops;
        }

        Fuzzed next(int i) {
            Operation op = ops.get(i % ops.size());
            String path = op.path();
            for (String name : op.pathParams()) {
                path = TEMPLATE.matcher(path).replaceFirst(Matcher.quoteReplacement(pathValue(name)));
            }
            StringBuilder query = new StringBuilder();
            for (String q : op.queryParams()) {
                if (random.nextInt(3) > 0) {
                    query.append(query.isEmpty() ? "?" : "&")
                            .append(encode(q))
                            .append('=')
                            .append(queryValue());
                }
            }
            if (random.nextInt(10) == 0) {
                query.append(query.isEmpty() ? "?" : "&")
                        .append(encode(text()))
                        .append('=')
                        .append(queryValue());
            }
            Caller caller = caller(op.path());
            Map<String, String> headers = new LinkedHashMap<>();
            if (random.nextInt(8) == 0) {
                headers.put(
                        "Accept",
                        pick(List.of(
                                "application/xml", "text/event-stream", "*/*", "image/png", "application/json;q=0")));
            }
            if (op.sse() && random.nextBoolean()) {
                headers.put("Last-Event-ID", pick(List.of("-1", "abc", "99999999999999999999", "1.5", "0")));
            }
            String method = random.nextInt(40) == 0 ? pick(List.of("PATCH", "PUT", "DELETE", "POST")) : op.method();
            boolean wantsBody = op.jsonSchema() != null || !op.formFields().isEmpty();
            if (!wantsBody && random.nextInt(4) != 0) {
                return new Fuzzed(op, "params", method, path + query, null, null, caller, headers);
            }
            int roll = random.nextInt(100);
            String kind;
            byte[] body;
            String contentType;
            if (!op.formFields().isEmpty() && (op.jsonSchema() == null || random.nextBoolean()) && roll < 75) {
                kind = "form";
                body = form(op.formFields()).getBytes(StandardCharsets.UTF_8);
                contentType = "application/x-www-form-urlencoded";
            } else if (roll < 20) {
                kind = "fields";
                body = utf8(valueFor(op.jsonSchema(), 0));
                contentType = "application/json";
            } else if (roll < 32) {
                kind = "missing";
                body = utf8(missing(valueFor(op.jsonSchema(), 0)));
                contentType = "application/json";
            } else if (roll < 44) {
                kind = "types";
                body = utf8(wrongTypes(op.jsonSchema()));
                contentType = "application/json";
            } else if (roll < 52) {
                kind = "shape";
                body = utf8(pick(List.of("[]", "1", "\"x\"", "null", "true", "{}", "[{}]", "-0", "1e999")));
                contentType = "application/json";
            } else if (roll < 62) {
                kind = "malformed";
                body = malformed();
                contentType = "application/json";
            } else if (roll < 68) {
                kind = "nested";
                body = utf8(nested(500 + random.nextInt(20_000)));
                contentType = "application/json";
            } else if (roll < 70) {
                kind = "huge";
                body = utf8("{\"name\":\"" + "x".repeat(1 << (16 + random.nextInt(6))) + "\"}");
                contentType = "application/json";
            } else if (roll < 80) {
                kind = "content-type";
                body = utf8(valueFor(op.jsonSchema(), 0));
                contentType = pick(List.of(
                        "text/plain",
                        "application/xml",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data",
                        "application/json; charset=utf-16",
                        "a/b/c",
                        "application/octet-stream",
                        ";;"));
            } else if (roll < 85) {
                kind = "no-content-type";
                body = utf8(valueFor(op.jsonSchema(), 0));
                contentType = null;
            } else if (roll < 90) {
                kind = "empty";
                body = new byte[0];
                contentType = "application/json";
            } else {
                kind = "unicode";
                body = utf8(valueFor(op.jsonSchema(), 0).replace("\"fuzz\"", "\"\\ud800\\u0000\\udfff\""));
                contentType = "application/json";
            }
            if (random.nextInt(5000) == 0) {
                kind = "over-limit";
                body = new byte[11 << 20];
                java.util.Arrays.fill(body, (byte) ' ');
                contentType = "application/json";
            }
            return new Fuzzed(op, kind, method, path + query, body, contentType, caller, headers);
        }

        private Caller caller(String path) {
            int r = random.nextInt(100);
            if (path.startsWith("/portal")) {
                return r < 88 ? Caller.PORTAL : r < 94 ? Caller.PORTAL_NO_ORIGIN : Caller.NONE;
            }
            if (r < 65) {
                return Caller.ADMIN_TOKEN;
            }
            if (r < 80) {
                return Caller.API_KEY;
            }
            if (r < 90) {
                return Caller.MEMBER_TOKEN;
            }
            return r < 95 ? Caller.NONE : Caller.GARBAGE;
        }

        private String pathValue(String name) {
            int r = random.nextInt(100);
            String lower = name.toLowerCase(Locale.ROOT);
            if (r < 30 && (lower.contains("slug") || lower.equals("ws") || lower.contains("workspace"))) {
                return WORKSPACE;
            }
            if (r < 45) {
                return java.util.UUID.randomUUID().toString();
            }
            if (r < 55) {
                return Long.toString(random.nextLong());
            }
            if (r < 60) {
                return "x".repeat(1 + random.nextInt(4000));
            }
            if (r < 65) {
                return pick(List.of("%FF%FE", "%C0%AE", "%ED%A0%80", "%F4%90%80%80", "%E2%80%AE", "%00", "a%00b"));
            }
            return encode(pick(NASTY)).replace("+", "%20");
        }

        private String queryValue() {
            if (random.nextInt(6) == 0) {
                return pick(List.of("%FF", "%C0%AE", "%ED%A0%80", "%00", "a%00b", "x".repeat(5000)));
            }
            return encode(text());
        }

        private String form(List<String> fields) {
            StringBuilder out = new StringBuilder();
            for (String f : fields) {
                int r = random.nextInt(10);
                if (r == 0) {
                    continue; // a missing field
                }
                String value = r == 1 ? pick(List.of("%FF", "%", "%00", "%zz")) : encode(text());
                out.append(out.isEmpty() ? "" : "&")
                        .append(encode(f))
                        .append('=')
                        .append(value);
                if (r == 2) {
                    out.append('&').append(encode(f)).append('=').append(encode(text())); // twice
                }
            }
            if (random.nextInt(5) == 0) {
                out.append(out.isEmpty() ? "" : "&")
                        .append(encode(text()))
                        .append('=')
                        .append(encode(text()));
            }
            return out.toString();
        }

        private String text() {
            int r = random.nextInt(10);
            if (r < 5) {
                return pick(NASTY);
            }
            if (r < 7) {
                return pick(NASTY) + pick(NASTY) + random.nextInt(1000);
            }
            if (r < 8) {
                return "x".repeat(random.nextInt(70_000));
            }
            StringBuilder s = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x2FFFF);
                if (Character.isValidCodePoint(cp) && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    s.appendCodePoint(cp);
                }
            }
            return s.toString();
        }

        /** A value shaped like the schema, with hostile leaves. */
        private String valueFor(@Nullable JsonNode schema, int depth) {
            if (schema == null || depth > 8) {
                return quote(text());
            }
            String type = schema.path("type").asText("");
            if (schema.path("enum").isArray() && !schema.path("enum").isEmpty() && random.nextBoolean()) {
                JsonNode e = schema.path("enum")
                        .get(random.nextInt(schema.path("enum").size()));
                return e.toString();
            }
            switch (type) {
                case "object" -> {
                    StringBuilder o = new StringBuilder("{");
                    for (Iterator<Map.Entry<String, JsonNode>> it =
                                    schema.path("properties").fields();
                            it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        o.append(o.length() > 1 ? "," : "")
                                .append(quote(e.getKey()))
                                .append(':')
                                .append(valueFor(e.getValue(), depth + 1));
                    }
                    if (random.nextInt(6) == 0) {
                        o.append(o.length() > 1 ? "," : "")
                                .append(quote(text()))
                                .append(":1");
                    }
                    return o.append('}').toString();
                }
                case "array" -> {
                    int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(3);
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(valueFor(schema.path("items"), depth + 1));
                    }
                    return "[" + String.join(",", items) + "]";
                }
                case "integer" -> {
                    return pick(List.of(
                            "0",
                            "-1",
                            "2147483648",
                            "-9223372036854775809",
                            "99999999999999999999999999999",
                            "1.5",
                            "1e400",
                            String.valueOf(random.nextInt())));
                }
                case "number" -> {
                    return pick(List.of(
                            "0", "-0.0", "1e400", "-1e400", "1e-400", "3.14", "123456789012345678901234567890"));
                }
                case "boolean" -> {
                    return random.nextBoolean() ? "true" : "false";
                }
                default -> {
                    return quote(random.nextInt(6) == 0 ? "fuzz" : text());
                }
            }
        }

        private String wrongTypes(@Nullable JsonNode schema) {
            if (schema == null || !schema.path("properties").isObject()) {
                return pick(List.of("{\"x\":[1,{\"y\":null}]}", "[1,2,3]", "{\"a\":{}}"));
            }
            StringBuilder o = new StringBuilder("{");
            schema.path("properties").fieldNames().forEachRemaining(name -> {
                o.append(o.length() > 1 ? "," : "")
                        .append(quote(name))
                        .append(':')
                        .append(pick(List.of(
                                "null",
                                "[]",
                                "{}",
                                "[null]",
                                "{\"a\":1}",
                                "1",
                                "-1.5",
                                "true",
                                "\"\"",
                                "\"not-a-number\"",
                                "\"2026-13-45T99:99:99Z\"",
                                "[[[[[]]]]]")));
            });
            return o.append('}').toString();
        }

        private String missing(String object) {
            if (!object.startsWith("{")) {
                return object;
            }
            try {
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(object);
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                Collections.shuffle(names, random);
                names.subList(0, random.nextInt(names.size() + 1)).forEach(node::remove);
                return json.writeValueAsString(node);
            } catch (IOException e) {
                return "{}";
            }
        }

        private byte[] malformed() {
            int r = random.nextInt(6);
            return switch (r) {
                case 0 -> utf8("{\"name\":");
                case 1 -> utf8("{'single':'quotes'}");
                case 2 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
                case 3 -> utf8("{\"a\":1,\"a\":2}");
                case 4 -> utf8("{\"a\":\"\\uZZZZ\"}");
                default -> {
                    byte[] b = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(b);
                    yield b;
                }
            };
        }

        private String nested(int depth) {
            boolean arrays = random.nextBoolean();
            StringBuilder s = new StringBuilder(depth * 6);
            for (int i = 0; i < depth; i++) {
                s.append(arrays ? "[" : "{\"a\":");
            }
            s.append("1");
            for (int i = 0; i < depth; i++) {
                s.append(arrays ? "]" : "}");
            }
            return s.toString();
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        private static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
