package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./drydock bench gateway --mode v1}: the OpenAI-compatible front door as its clients see it.
 * The same client calls the benchmark fixture model server directly and through the server's
 * {@code /v1} (the packaged server in its own JVM, with PostgreSQL and a real Keycloak, a real access
 * token), the two sides interleaved round by round, at 1 and at N concurrent streams. Two clients: one
 * fixed Java client (the JDK's, reading the stream as a client library does), and the official
 * {@code openai} npm package under Node.js, installed through npm into the scratch folder when Node.js
 * is on the PATH. The server's CPU per stream comes from {@code /proc/<pid>/stat}; on the direct side
 * the server does nothing, so all of it is added by the front door. Last line: one JSON object.
 */
final class FrontDoorBench {
    /** The npm package the Node.js client uses; the bench installs it into its scratch folder. */
    static final String OPENAI_NPM = "openai@6";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IDLE_SECONDS = 10;

    /** What to run. */
    record Settings(
            int requestsAtOne,
            int concurrency,
            int chunks,
            int chunkIntervalMs,
            int rounds,
            int warmupSeconds,
            boolean node,
            @Nullable Path workDir) {}

    private FrontDoorBench() {}

    static int run(Settings s, PrintWriter out) throws Exception {
        // what is missing is said before anything starts
        BenchAppliance.keycloakZip();
        BenchAppliance.packagedServer();
        Path work = s.workDir() != null
                ? Files.createDirectories(s.workDir())
                : Files.createTempDirectory("drydock-bench-v1-");
        Path keycloakInstall = Path.of(
                System.getenv().getOrDefault("DRYDOCK_HOME", System.getProperty("user.home") + "/.drydock"),
                "bench",
                "keycloak");
        try (BenchModelServerFixture fixture =
                        new BenchModelServerFixture(s.chunks(), Duration.ofMillis(s.chunkIntervalMs()));
                BenchAppliance appliance = BenchAppliance.start(
                        work,
                        keycloakInstall,
                        Map.of(
                                "drydock.gateway.endpoints.bench.base-url", fixture.baseUrl(),
                                "drydock.gateway.endpoints.bench.model", "bench-model",
                                "drydock.gateway.endpoints.bench.capabilities", "streaming",
                                "drydock.gateway.endpoints.bench.clearance", "secret",
                                "drydock.gateway.endpoints.bench.max-concurrency",
                                        Integer.toString(s.concurrency() + 8),
                                "drydock.gateway.routes.default.endpoints", "bench"),
                        line -> {
                            out.println(line.strip());
                            out.flush();
                        })) {
            String token = appliance.accessToken();
            Side direct = new Side("direct", fixture.baseUrl(), "bench-model", "none");
            Side v1 = new Side("v1", appliance.baseUrl() + "/v1", "bench", token);
            JavaClient java = new JavaClient(s.concurrency());
            java.call(v1); // the first call says at once what is wrong (token, route, endpoint)
            out.printf(
                    "server up at %s, token accepted; fixture %s (%d deltas, %d ms apart)%n",
                    appliance.baseUrl(), fixture.baseUrl(), s.chunks(), s.chunkIntervalMs());
            @Nullable NodeClient node = s.node() ? NodeClient.install(work, out) : null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.warmupSeconds());
            for (int pass = 1; pass == 1 || System.nanoTime() < until; pass++) {
                for (Side side : List.of(direct, v1)) {
                    java.run(side, Math.min(100, s.requestsAtOne()), 1, appliance.serverPid());
                    java.run(side, s.concurrency() * 3, s.concurrency(), appliance.serverPid());
                }
                out.printf("warm-up pass %d done%n", pass);
                out.flush();
            }
            // what the server spends with nothing to do (its scheduled jobs), subtracted from every run
            long idleBefore = processCpuMicros(appliance.serverPid());
            long idleStart = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(IDLE_SECONDS));
            java.idleCpuPerSecond =
                    (processCpuMicros(appliance.serverPid()) - idleBefore) / ((System.nanoTime() - idleStart) / 1e9);
            out.printf(
                    Locale.ROOT,
                    "server idle: %.1f %% of a core over %d s (subtracted from the CPU per stream below)%n",
                    java.idleCpuPerSecond / 1e4,
                    IDLE_SECONDS);
            ObjectNode summary = JSON.createObjectNode()
                    .put("mode", "v1")
                    .put("serverIdleCpuShare", round(java.idleCpuPerSecond / 1e6))
                    .put("chunksPerStream", s.chunks())
                    .put("chunkIntervalMs", s.chunkIntervalMs())
                    .put("rounds", s.rounds())
                    .put("cores", Runtime.getRuntime().availableProcessors());
            for (String client : node == null ? List.of("java") : List.of("java", "openai-npm")) {
                ObjectNode perClient = summary.putObject(client);
                for (int c : new int[] {1, s.concurrency()}) {
                    int n = c == 1 ? s.requestsAtOne() : c * 10;
                    Samples d = new Samples();
                    Samples g = new Samples();
                    for (int round = 0; round < s.rounds(); round++) {
                        List<Side> order = round % 2 == 0 ? List.of(direct, v1) : List.of(v1, direct);
                        for (Side side : order) {
                            Samples into = side == direct ? d : g;
                            if (client.equals("java")) {
                                into.add(java.run(side, n, c, appliance.serverPid()));
                            } else {
                                into.add(java.measureServer(
                                        appliance.serverPid(),
                                        () -> java.nonNull(node).run(side, n, c, Math.min(n, c * 2))));
                            }
                        }
                    }
                    double serverCpuPerStream = g.serverCpuMicros();
                    // the share of a core the server spends on one stream while it lasts as long as the model takes
                    double share = serverCpuPerStream / 1000.0 / d.p50();
                    out.printf(
                            Locale.ROOT,
                            "%-10s concurrency %3d: direct p50 %.2f ms p99 %.2f ms | /v1 p50 %.2f ms p99 %.2f ms | added p50 %.2f ms"
                                    + " p99 %.2f ms | first token added p50 %.2f ms | server CPU per stream %.0f µs = %.2f %% of a core while the stream lasts (direct p50) | errors %d/%d%n",
                            client,
                            c,
                            d.p50(),
                            d.p99(),
                            g.p50(),
                            g.p99(),
                            g.p50() - d.p50(),
                            g.p99() - d.p99(),
                            g.ttftP50() - d.ttftP50(),
                            serverCpuPerStream,
                            100 * share,
                            d.errors,
                            g.errors);
                    if (!g.firstError.isEmpty() || !d.firstError.isEmpty()) {
                        out.println("  first error: " + (g.firstError.isEmpty() ? d.firstError : g.firstError));
                    }
                    out.flush();
                    perClient
                            .putObject("c" + c)
                            .put("streams", d.count())
                            .put("directP50Ms", round(d.p50()))
                            .put("directP99Ms", round(d.p99()))
                            .put("v1P50Ms", round(g.p50()))
                            .put("v1P99Ms", round(g.p99()))
                            .put("addedP50Ms", round(g.p50() - d.p50()))
                            .put("addedP99Ms", round(g.p99() - d.p99()))
                            .put("directFirstTokenP50Ms", round(d.ttftP50()))
                            .put("v1FirstTokenP50Ms", round(g.ttftP50()))
                            .put("serverCpuMicrosPerStream", Math.round(serverCpuPerStream))
                            .put("serverCpuShareOfStream", round(share))
                            .put("directErrors", d.errors)
                            .put("v1Errors", g.errors);
                }
            }
            out.println(summary);
            out.flush();
            return 0;
        } finally {
            if (s.workDir() == null) {
                deleteTree(work);
            }
        }
    }

    /** Where a client sends its streams, and the bearer it sends. */
    record Side(String name, String baseUrl, String model, String token) {}

    /** One measured run: stream latencies, errors, and the server JVM's CPU over the run. */
    record Run(List<Double> millis, List<Double> ttftMillis, int errors, String firstError, long serverCpuMicros) {}

    /** The Java client: the JDK's HTTP client, reading SSE lines and parsing each chunk, as a client library does. */
    private static final class JavaClient {
        /** The server's CPU time per second of wall time while idle, in microseconds. */
        double idleCpuPerSecond;

        private final HttpClient http;
        private final ArrayNode messages;

        JavaClient(int concurrency) {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newThreadPerTaskExecutor(
                            Thread.ofVirtual().name("bench-v1-", 0).factory()))
                    .build();
            messages = messages();
        }

        <T> T nonNull(@Nullable T value) {
            if (value == null) {
                throw new IllegalStateException("no Node.js client");
            }
            return value;
        }

        /** One stream; returns the nanoseconds from sending the request to its first content delta. */
        long call(Side side) throws IOException, InterruptedException {
            long sent = System.nanoTime();
            byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("model", side.model())
                    .put("stream", true)
                    .set("messages", messages));
            HttpResponse<InputStream> r = http.send(
                    HttpRequest.newBuilder(URI.create(side.baseUrl() + "/chat/completions"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + side.token())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                String answer;
                try (InputStream in = r.body()) {
                    answer = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
                }
                throw new IllegalStateException(side.name() + ": HTTP " + r.statusCode() + " " + answer);
            }
            return readLikeAClient(JSON, r.body()) - sent;
        }

        Run run(Side side, int n, int concurrency, long serverPid) throws Exception {
            return measureServer(serverPid, () -> {
                List<Double> millis = Collections.synchronizedList(new ArrayList<>());
                List<Double> ttft = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger errors = new AtomicInteger();
                AtomicReference<String> first = new AtomicReference<>("");
                Semaphore slots = new Semaphore(concurrency);
                try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("bench-v1-stream-", 0).factory())) {
                    for (int i = 0; i < n; i++) {
                        slots.acquire();
                        pool.submit(() -> {
                            long t = System.nanoTime();
                            try {
                                long toFirst = call(side);
                                millis.add((System.nanoTime() - t) / 1e6);
                                ttft.add(toFirst / 1e6);
                            } catch (Exception e) {
                                errors.incrementAndGet();
                                first.compareAndSet("", String.valueOf(e.getMessage()));
                            } finally {
                                slots.release();
                            }
                        });
                    }
                }
                return new Run(
                        new ArrayList<>(millis),
                        new ArrayList<>(ttft),
                        errors.get(),
                        java.util.Objects.requireNonNull(first.get()),
                        0);
            });
        }

        /** Runs {@code measured} and adds the server JVM's CPU time over it. */
        Run measureServer(long serverPid, Measured measured) throws Exception {
            long before = processCpuMicros(serverPid);
            long start = System.nanoTime();
            Run r = measured.run();
            long idle = Math.round(idleCpuPerSecond * (System.nanoTime() - start) / 1e9);
            return new Run(
                    r.millis(),
                    r.ttftMillis(),
                    r.errors(),
                    r.firstError(),
                    Math.max(0, processCpuMicros(serverPid) - before - idle));
        }
    }

    @FunctionalInterface
    private interface Measured {
        Run run() throws Exception;
    }

    /**
     * The official {@code openai} npm package under Node.js: one Node process per measured run, which
     * first sends a few unmeasured streams (its own warm-up) and prints the latencies as JSON.
     */
    private static final class NodeClient {
        private static final String SCRIPT = """
                import OpenAI from 'openai';
                const [baseURL, apiKey, model, n, c, warm] = process.argv.slice(2);
                const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120000 });
                const messages = JSON.parse(process.env.BENCH_MESSAGES);
                async function one() {
                  const t = process.hrtime.bigint();
                  let first = 0n;
                  const stream = await client.chat.completions.create({ model, messages, stream: true });
                  let content = '';
                  for await (const chunk of stream) {
                    const d = chunk.choices[0]?.delta?.content;
                    if (d) {
                      if (first === 0n) first = process.hrtime.bigint();
                      content += d;
                    }
                  }
                  if (!content) throw new Error('the stream ended without content');
                  return Number(first - t) / 1e6;
                }
                async function pass(total, concurrency, millis, failures, ttft) {
                  let next = 0;
                  async function worker() {
                    while (next < total) {
                      next++;
                      const t = process.hrtime.bigint();
                      try {
                        ttft.push(await one());
                        millis.push(Number(process.hrtime.bigint() - t) / 1e6);
                      } catch (e) {
                        failures.push(String(e?.message ?? e));
                      }
                    }
                  }
                  await Promise.all(Array.from({ length: concurrency }, worker));
                }
                await pass(Number(warm), Number(c), [], [], []);
                const millis = [], failures = [], ttft = [];
                await pass(Number(n), Number(c), millis, failures, ttft);
                console.log(JSON.stringify({ millis, ttft, errors: failures.length, firstError: failures[0] ?? '' }));
                """;

        private final Path dir;

        private NodeClient(Path dir) {
            this.dir = dir;
        }

        /** Installs {@link #OPENAI_NPM} into {@code work/node} with npm; fails with npm's own message. */
        static NodeClient install(Path work, PrintWriter out) throws IOException, InterruptedException {
            Path dir = Files.createDirectories(work.resolve("node"));
            Files.writeString(
                    dir.resolve("package.json"),
                    "{\"name\":\"drydock-bench-v1\",\"private\":true,\"type\":\"module\"}");
            Files.writeString(dir.resolve("bench.mjs"), SCRIPT);
            out.println("installing " + OPENAI_NPM + " with npm into " + dir + " …");
            out.flush();
            Process npm = new ProcessBuilder(
                            "npm", "install", "--no-audit", "--no-fund", "--loglevel=error", OPENAI_NPM)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm install " + OPENAI_NPM + " failed: " + log.strip());
            }
            Process version = new ProcessBuilder("node", "-p", "require('./node_modules/openai/package.json').version")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            out.println(
                    "openai npm " + new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
                            + " under Node.js " + nodeVersion());
            version.waitFor();
            return new NodeClient(dir);
        }

        private static String nodeVersion() throws IOException, InterruptedException {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return v;
        }

        Run run(Side side, int n, int concurrency, int warm) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(
                            "node",
                            "bench.mjs",
                            side.baseUrl(),
                            side.token(),
                            side.model(),
                            Integer.toString(n),
                            Integer.toString(concurrency),
                            Integer.toString(warm))
                    .directory(dir.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("BENCH_MESSAGES", JSON.writeValueAsString(messages()));
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            List<String> lines = output.lines().toList();
            String last = lines.isEmpty() ? "" : lines.getLast();
            if (exit != 0 || !last.startsWith("{")) {
                throw new IllegalStateException("the Node.js client failed (exit " + exit + "): " + output.strip());
            }
            JsonNode r = JSON.readTree(last);
            List<Double> millis = new ArrayList<>();
            r.path("millis").forEach(m -> millis.add(m.asDouble()));
            List<Double> ttft = new ArrayList<>();
            r.path("ttft").forEach(m -> ttft.add(m.asDouble()));
            return new Run(
                    millis, ttft, r.path("errors").asInt(), r.path("firstError").asText(), 0);
        }
    }

    /** The latencies of one side and one client, pooled over rounds, with the server's CPU. */
    private static final class Samples {
        final List<Double> millis = new ArrayList<>();
        final List<Double> ttft = new ArrayList<>();
        int errors;
        String firstError = "";
        long serverCpuMicros;
        int attempted;

        void add(Run r) {
            millis.addAll(r.millis());
            ttft.addAll(r.ttftMillis());
            errors += r.errors();
            if (firstError.isEmpty()) {
                firstError = r.firstError();
            }
            serverCpuMicros += r.serverCpuMicros();
            attempted += r.millis().size() + r.errors();
        }

        int count() {
            return millis.size();
        }

        double p50() {
            return percentile(millis, 0.5);
        }

        double ttftP50() {
            return percentile(ttft, 0.5);
        }

        double p99() {
            return percentile(millis, 0.99);
        }

        double serverCpuMicros() {
            return attempted == 0 ? Double.NaN : (double) serverCpuMicros / attempted;
        }

        private static double percentile(List<Double> values, double q) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * q)));
        }
    }

    /**
     * Reads a streamed chat completion the way an OpenAI client library does: SSE lines, each {@code
     * data:} chunk parsed as JSON, the content deltas collected until {@code [DONE]}; then leaves the end
     * of the body to a background reader (as the gateway does) so that the connection returns to the
     * pool. Returns the {@link System#nanoTime()} of the first content delta.
     */
    static long readLikeAClient(ObjectMapper json, InputStream in) throws IOException {
        long first = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder content = new StringBuilder();
        boolean done = false;
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
                done = true;
                break;
            }
            JsonNode delta = json.readTree(data).path("choices").path(0).path("delta");
            if (delta.path("content").isTextual()
                    && !delta.path("content").asText().isEmpty()) {
                if (first == 0) {
                    first = System.nanoTime();
                }
                content.append(delta.path("content").asText());
            }
        }
        if (!done || content.isEmpty()) {
            in.close();
            throw new IllegalStateException("the stream ended before [DONE]");
        }
        Thread.ofVirtual().name("bench-v1-drain").start(() -> {
            try (in) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // a broken remainder only costs the connection
            }
        });
        return first;
    }

    private static ArrayNode messages() {
        ArrayNode m = JSON.createArrayNode();
        m.addObject().put("role", "system").put("content", "You are a careful coding assistant. Answer briefly.");
        m.addObject()
                .put("role", "user")
                .put(
                        "content",
                        "Explain what the function `computeChecksum(byte[] data)` in Checksums.java does, in two sentences.");
        return m;
    }

    /** User plus system CPU time of process {@code pid} so far, in microseconds ({@code /proc/<pid>/stat}, clock ticks of 10 ms). */
    static long processCpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
