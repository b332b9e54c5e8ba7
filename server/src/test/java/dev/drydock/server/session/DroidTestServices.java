package dev.drydock.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * What droid sessions need in tests, beyond PostgreSQL and Keycloak: a scripted OpenAI-compatible
 * model server on a dynamic port, a git mirror root with the sample repository {@code droid-calc} in the folders of workspaces {@code demo} and {@code other} (a
 * failing unit test), and a sandbox work root for the real bubblewrap backend.
 *
 * <p>The model server is stateless: the script is chosen by {@code [script:NAME]} in the first user
 * message, and the step by the number of assistant messages in the request, so a restarted runner
 * continues the script where the log says it is.
 */
public final class DroidTestServices implements QuarkusTestResourceLifecycleManager {
    public static final Map<String, List<String>> SCRIPTS = new ConcurrentHashMap<>();
    static final ObjectMapper JSON = new ObjectMapper();
    static volatile Path mirrorRoot;
    /** Every request body the scripted model received, in order (tests check what reached a model). */
    public static final List<String> RECEIVED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private HttpServer server;

    static final String CALC = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";
    static final String CALC_TEST =
            "import unittest\n\nfrom calc import add, mul\n\n\nclass CalcTest(unittest.TestCase):\n"
                    + "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n    def test_mul(self):\n        self.assertEqual(mul(2, 3), 6)\n";

    @Override
    public Map<String, String> start() {
        try {
            Path work = Path.of(System.getProperty("drydock.test.work-dir", "target/it"))
                    .toAbsolutePath();
            Files.createDirectories(work);
            Path root = Files.createTempDirectory(work, "droid-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            Path sandboxes = Files.createDirectory(
                    root.resolve("sandboxes"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            mirrorRoot = Files.createDirectory(root.resolve("mirrors"));
            // the mirror root maps repositories to workspaces by folder: demo and other each get their own copy
            for (String workspace : List.of("demo", "other")) {
                sampleRepo(Files.createDirectory(mirrorRoot.resolve(workspace)).resolve("droid-calc.git"));
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/chat/completions", exchange -> {
                byte[] body;
                int status = 200;
                try {
                    String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    RECEIVED.add(request);
                    body = answer(JSON.readTree(request)).getBytes(StandardCharsets.UTF_8);
                } catch (ScriptHangs e) {
                    // accepted, never answered: the gateway's timeout must end the call
                    try {
                        hanging.await();
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                    return;
                } catch (ScriptUnavailable e) {
                    status = 503;
                    body = "{\"error\":\"scripted outage\"}".getBytes(StandardCharsets.UTF_8);
                } catch (RuntimeException e) {
                    status = 500;
                    body = ("{\"error\":\"" + e.getMessage() + "\"}").getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            // Droids reach the scripted model through the gateway, as in production: one endpoint, one
            // route for every droid purpose. One attempt per call and a breaker that never opens keep
            // the outage script's three failed calls from closing the endpoint for the next tests.
            return Map.ofEntries(
                    Map.entry(
                            "drydock.gateway.endpoints.scripted.base-url",
                            "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"),
                    Map.entry("drydock.gateway.endpoints.scripted.model", "scripted"),
                    Map.entry("drydock.gateway.endpoints.scripted.capabilities", "tools"),
                    Map.entry("drydock.gateway.endpoints.scripted.clearance", "confidential"),
                    Map.entry("drydock.gateway.endpoints.scripted.context-window", "32000"),
                    Map.entry("drydock.gateway.endpoints.scripted.cost-per1k-prompt-tokens", "0.001"),
                    Map.entry("drydock.gateway.routes.droids.endpoints", "scripted"),
                    Map.entry("drydock.gateway.attempts-per-endpoint", "1"),
                    Map.entry("drydock.gateway.breaker-failure-threshold", "1000000"),
                    Map.entry("drydock.droid.mirror-root", mirrorRoot.toString()),
                    Map.entry("drydock.sandbox.local.work-root", sandboxes.toString()),
                    Map.entry(
                            "drydock.dependency-caches.folder",
                            root.resolve("build-caches").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        hanging.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    static void sampleRepo(Path bare) {
        try {
            Path src = Files.createTempDirectory(bare.getParent(), "src-");
            Files.writeString(src.resolve("calc.py"), CALC);
            Files.writeString(src.resolve("test_calc.py"), CALC_TEST);
            Files.writeString(
                    src.resolve("AGENTS.md"),
                    "# Agent rules\n\nKeep functions small. test-command: python3 -m unittest discover -q\n");
            Files.writeString(src.resolve("README.md"), "# calc\n\nA tiny calculator.\n");
            try (Git git = Git.init()
                    .setDirectory(src.toFile())
                    .setInitialBranch("main")
                    .call()) {
                git.add().addFilepattern(".").call();
                PersonIdent who = new PersonIdent("Test", "test@drydock.invalid");
                git.commit()
                        .setMessage("calc with a bug")
                        .setAuthor(who)
                        .setCommitter(who)
                        .call();
            }
            Git.cloneRepository()
                    .setURI(src.toUri().toString())
                    .setBare(true)
                    .setDirectory(bare.toFile())
                    .call()
                    .close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the sample repository", e);
        }
    }

    /** Released when the server stops: a hanging step's exchanges wait on it. */
    private final java.util.concurrent.CountDownLatch hanging = new java.util.concurrent.CountDownLatch(1);

    /** Thrown by a script step that accepts the request and never answers ({@code HANG}). */
    static final class ScriptHangs extends RuntimeException {}

    /** Thrown by a script step that simulates an outage (HTTP 503). */
    static final class ScriptUnavailable extends RuntimeException {}

    static String answer(JsonNode request) {
        String script = null;
        int step = 0;
        for (JsonNode m : request.path("messages")) {
            String role = m.path("role").asText();
            if (script == null && role.equals("user")) {
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\[script:([a-z0-9-]+)\\]")
                        .matcher(m.path("content").asText());
                script = matcher.find() ? matcher.group(1) : "";
            }
            if (role.equals("assistant")) {
                step++;
            }
        }
        List<String> steps = SCRIPTS.get(script);
        if (steps == null) {
            throw new IllegalStateException("no script '" + script + "'");
        }
        if (step >= steps.size()) {
            throw new IllegalStateException("script '" + script + "' has no step " + (step + 1));
        }
        String s = steps.get(step);
        if (s.equals("DOWN")) {
            throw new ScriptUnavailable();
        }
        if (s.equals("HANG")) {
            throw new ScriptHangs();
        }
        return s;
    }

    /** A reply that calls tools: pairs of (name, JSON arguments). */
    public static String calls(String... nameAndArgs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", "scripted");
        ObjectNode message =
                root.putArray("choices").addObject().put("index", 0).putObject("message");
        message.put("role", "assistant");
        message.put("content", "step");
        ArrayNode tc = message.putArray("tool_calls");
        for (int i = 0; i < nameAndArgs.length; i += 2) {
            ObjectNode c = tc.addObject();
            c.put("id", "");
            c.put("type", "function");
            c.putObject("function").put("name", nameAndArgs[i]).put("arguments", nameAndArgs[i + 1]);
        }
        root.putObject("usage").put("prompt_tokens", 1000).put("completion_tokens", 50);
        return root.toString();
    }

    /** A reply without tool calls: just text. */
    public static String text(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", "scripted");
        root.putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("message")
                .put("role", "assistant")
                .put("content", content);
        root.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20);
        return root.toString();
    }

    public static List<String> script(String... steps) {
        return new ArrayList<>(List.of(steps));
    }

    /** JSON object text from alternating keys and values. */
    public static String args(Object... kv) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            n.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return n.toString();
    }
}
