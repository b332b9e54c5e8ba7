package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.DrydockCli;
import dev.drydock.server.appliance.JsonBufferPool;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.core.BudgetCheck;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.EndpointCatalog;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.EndpointTokenizers;
import dev.drydock.server.gateway.core.Gateway;
import dev.drydock.server.gateway.core.GatewaySettings;
import dev.drydock.server.gateway.core.OpenAiChatClient;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.gateway.core.SecretResolver;
import dev.drydock.server.gateway.core.UpstreamHttp;
import dev.drydock.server.gateway.dlp.DlpPolicy;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ./drydock bench gateway}: the gateway core's overhead (routing, breaker, limits, DLP scan,
 * SSE parsing, hashing, accounting record) versus reading the same stream from the benchmark fixture
 * server directly with the JDK client, at 1 and at N concurrent streams. Both sides consume the
 * stream the same way (SSE lines, one JSON parse per chunk, stop at {@code [DONE]}). Not a test: it
 * prints numbers, the last line as JSON.
 *
 * <p>By default the fixture sends each answer at once and every stream starts again as soon as the
 * previous one ends, so N streams keep every core busy: latency at N is then mostly queueing, and
 * whatever CPU the gateway adds per stream is multiplied by about N / cores. {@code --chunk-interval-ms}
 * paces the deltas like a generating model, which is closer to production load. The CPU per stream
 * and the load average are printed to tell these apart.
 */
@Command(
        name = "gateway",
        description = "Gateway overhead vs calling the model server directly: p50/p99 at 1 and N concurrent streams.")
public final class GatewayBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--mode",
            defaultValue = "core",
            converter = ModeConverter.class,
            description =
                    "core (default): the gateway core in this JVM against a direct client; v1: the front door as clients see it, the same client"
                            + " (a Java client, and the openai npm package when Node.js is installed) against the model server directly and through"
                            + " a packaged server's /v1 with PostgreSQL, Keycloak and a real access token")
    Mode mode = Mode.CORE;

    enum Mode {
        CORE,
        V1
    }

    /** Accepts the mode in any case, and names the choices when the value is none of them. */
    static final class ModeConverter implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a mode; use core or v1");
            }
        }
    }

    @Option(
            names = "--requests",
            description = "Streams per measured run at concurrency 1 (default 400; with --mode v1, 100)")
    @Nullable
    Integer requestsOption;

    int requests = 400;

    @Option(
            names = "--node",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "With --mode v1: also measure the official openai npm package under Node.js (installed with npm into the scratch folder; default on when node and npm are on the PATH)")
    boolean node = true;

    @Option(
            names = "--work-dir",
            description = "With --mode v1: scratch folder, kept afterwards (default: a new temporary folder, removed)")
    @Nullable
    Path workDir;

    @Option(
            names = "--concurrency",
            defaultValue = "200",
            description = "Concurrent streams for the loaded run (default 200)")
    int concurrency = 200;

    @Option(names = "--chunks", defaultValue = "32", description = "Content deltas per streamed answer (default 32)")
    int chunks = 32;

    @Option(
            names = "--chunk-interval-ms",
            description =
                    "Pause of the fixture server between deltas, as a model generating tokens (default 0: the whole answer at once, so that N streams keep every core busy;"
                            + " with --mode v1, 10: about 100 tokens a second, a fast model)")
    @Nullable
    Integer chunkIntervalOption;

    int chunkIntervalMs = 0;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description =
                    "Measured runs per side, direct and gateway alternating (in swapped order every round), pooled; evens out other load on the machine (default 3)")
    int rounds = 3;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "60",
            description =
                    "Warm-up passes (both concurrencies) repeat until this long has passed, at least one (default 60). On two cores the just-in-time"
                            + " compiler is still compiling the HTTP stack after half a minute; its share of the CPU during the measurement is printed as jit")
    int warmupSeconds = 60;

    @Option(
            names = "--forks",
            defaultValue = "2",
            description =
                    "Fresh JVMs per side, direct and gateway alternating (default 2). Each side runs alone in its own JVM, as a gateway process does;"
                            + " sharing one JVM made each side's code pay for the other's just-in-time recompilation. 0 runs both sides in this JVM")
    int forks = 2;

    @Option(
            names = "--side",
            defaultValue = "both",
            converter = SideConverter.class,
            description =
                    "both (default), or only direct or only gateway: to profile one side alone (the other side's numbers then print as NaN)")
    Side side = Side.BOTH;

    enum Side {
        BOTH,
        DIRECT,
        GATEWAY
    }

    /** Accepts the side in any case, and names the choices when the value is none of them. */
    static final class SideConverter implements ITypeConverter<Side> {
        @Override
        public Side convert(String value) {
            try {
                return Side.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a side; use both, direct or gateway");
            }
        }
    }

    @Option(
            names = "--prompt-kb",
            defaultValue = "0",
            description =
                    "Adds this many KiB of source code to the prompt, as a droid's context does (default 0: a two-line prompt). DLP, fingerprint and token estimate scale with it")
    int promptKb = 0;

    /** Shared by both sides; with the server's buffer pool (see {@code JsonBufferPool}), since every stream runs on a new virtual thread. */
    private final ObjectMapper json = JsonBufferPool.pooled(new ObjectMapper());

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        requests = requestsOption != null ? requestsOption : mode == Mode.V1 ? 100 : 400;
        chunkIntervalMs = chunkIntervalOption != null ? chunkIntervalOption : mode == Mode.V1 ? 10 : 0;
        if (requests < 1
                || concurrency < 1
                || chunks < 1
                || rounds < 1
                || forks < 0
                || chunkIntervalMs < 0
                || promptKb < 0
                || warmupSeconds < 0) {
            throw new CliException(
                    "--requests, --concurrency, --chunks and --rounds must be at least 1; --forks, --chunk-interval-ms, --prompt-kb and --warmup-seconds at least 0",
                    CliExit.USAGE);
        }
        if (mode == Mode.V1) {
            return FrontDoorBench.run(
                    new FrontDoorBench.Settings(
                            requests,
                            concurrency,
                            chunks,
                            chunkIntervalMs,
                            rounds,
                            warmupSeconds,
                            node && onPath("node") && onPath("npm"),
                            workDir),
                    out);
        }
        return side == Side.BOTH && forks > 0 ? forked(out) : inProcess(out);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null
                && java.util.Arrays.stream(path.split(File.pathSeparator))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** Both sides (or one, with {@code --side}) in this JVM. */
    private int inProcess(PrintWriter out) throws Exception {
        try (BenchModelServerFixture fixture = new BenchModelServerFixture(chunks, Duration.ofMillis(chunkIntervalMs));
                EgressGuard egress = new EgressGuard(List.of("127.0.0.1"), r -> {}, Clock.systemUTC())) {
            EndpointSpec endpoint = new EndpointSpec(
                    "bench",
                    URI.create(fixture.baseUrl()),
                    Protocol.OPENAI_CHAT,
                    "bench-model",
                    "Authorization",
                    null,
                    1_000_000,
                    EnumSet.of(Capability.STREAMING),
                    concurrency + 8,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(30),
                    BigDecimal.ONE,
                    BigDecimal.ONE,
                    Classification.SECRET,
                    null);
            AtomicLong recorded = new AtomicLong();
            Gateway gateway = new Gateway(
                    EndpointCatalog.of(
                            List.of(endpoint), List.of(new RouteSpec("bench", "*", "*", "*", List.of("bench")))),
                    Map.of(Protocol.OPENAI_CHAT, new OpenAiChatClient(new UpstreamHttp(egress, 16L << 20), json)),
                    new GatewaySettings(
                            1,
                            Duration.ofMillis(10),
                            Duration.ofMillis(10),
                            1000,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(30)),
                    Clock.systemUTC(),
                    r -> recorded.incrementAndGet(),
                    BudgetCheck.NONE,
                    DlpPolicy.REDACT,
                    SecretResolver.NONE,
                    json,
                    EndpointTokenizers.NONE);
            HttpClient direct = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newThreadPerTaskExecutor(
                            Thread.ofVirtual().name("bench-direct-", 0).factory()))
                    .build();
            ArrayNode messages = messages();
            Op directOp = () -> {
                // a client builds its request body per call, as the gateway does
                byte[] body = json.writeValueAsBytes(json.createObjectNode()
                        .put("model", "bench-model")
                        .put("stream", true)
                        .set("messages", messages));
                HttpRequest req = HttpRequest.newBuilder(URI.create(fixture.baseUrl() + "/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<InputStream> r = direct.send(req, HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    r.body().close();
                    throw new IllegalStateException("HTTP " + r.statusCode());
                }
                FrontDoorBench.readLikeAClient(json, r.body());
            };
            CallContext ctx = CallContext.of("bench", "bench", "chat", Classification.INTERNAL);
            ChatRequest request = new ChatRequest(messages(), null, null, false, null, null, true);
            Op gatewayOp = () -> gateway.chat(ctx, request, e -> {}, new Cancellation());

            boolean measureDirect = side != Side.GATEWAY;
            boolean measureGateway = side != Side.DIRECT;
            warmUp(out, measureDirect ? directOp : null, measureGateway ? gatewayOp : null);
            ObjectNode summary = json.createObjectNode()
                    .put("chunksPerStream", chunks)
                    .put("chunkIntervalMs", chunkIntervalMs)
                    .put("promptKb", promptKb)
                    .put("rounds", rounds)
                    .put("side", side.name().toLowerCase(Locale.ROOT))
                    .put("cores", Runtime.getRuntime().availableProcessors())
                    .put("loadAverage1mBefore", round(load()));
            for (int c : new int[] {1, concurrency}) {
                int n = c == 1 ? requests : Math.max(requests, concurrency * 10);
                Samples d = new Samples();
                Samples g = new Samples();
                for (int round = 0; round < rounds; round++) {
                    if (round % 2 == 0) {
                        run(measureDirect ? directOp : null, n, c, d);
                        run(measureGateway ? gatewayOp : null, n, c, g);
                    } else {
                        run(measureGateway ? gatewayOp : null, n, c, g);
                        run(measureDirect ? directOp : null, n, c, d);
                    }
                }
                out.printf(
                        "concurrency %3d: direct p50 %.2f ms p99 %.2f ms | gateway p50 %.2f ms p99 %.2f ms | added p50 %.2f ms p99 %.2f ms"
                                + " | ratio p50 %.2f p99 %.2f | cpu/stream direct %.0f µs (jit %.0f) gateway %.0f µs (jit %.0f) | errors %d/%d | load %.2f%n",
                        c,
                        d.p50(),
                        d.p99(),
                        g.p50(),
                        g.p99(),
                        g.p50() - d.p50(),
                        g.p99() - d.p99(),
                        g.p50() / d.p50(),
                        g.p99() / d.p99(),
                        d.cpuMicros(),
                        d.jitMicros(),
                        g.cpuMicros(),
                        g.jitMicros(),
                        d.errors.get(),
                        g.errors.get(),
                        load());
                String directError = Objects.requireNonNull(d.firstError.get()); // starts as "", never set to null
                String gatewayError = Objects.requireNonNull(g.firstError.get());
                for (String error : List.of(
                        directError.isEmpty() ? "" : "direct: " + directError,
                        gatewayError.isEmpty() ? "" : "gateway: " + gatewayError)) {
                    if (!error.isEmpty()) {
                        out.println("  first error " + error);
                    }
                }
                out.flush();
                ObjectNode node = summary.putObject("c" + c);
                node.put("streams", d.count())
                        .put("directP50Ms", round(d.p50()))
                        .put("directP99Ms", round(d.p99()))
                        .put("gatewayP50Ms", round(g.p50()))
                        .put("gatewayP99Ms", round(g.p99()))
                        .put("addedP50Ms", round(g.p50() - d.p50()))
                        .put("addedP99Ms", round(g.p99() - d.p99()))
                        .put("ratioP50", round(g.p50() / d.p50()))
                        .put("ratioP99", round(g.p99() / d.p99()))
                        .put("directCpuMicrosPerStream", Math.round(d.cpuMicros()))
                        .put("gatewayCpuMicrosPerStream", Math.round(g.cpuMicros()))
                        .put("directJitMicrosPerStream", Math.round(d.jitMicros()))
                        .put("gatewayJitMicrosPerStream", Math.round(g.jitMicros()))
                        .put("directErrors", d.errors.get())
                        .put("gatewayErrors", g.errors.get())
                        .put("loadAverage1m", round(load()));
            }
            summary.put("recordsWritten", recorded.get());
            out.println(summary);
            out.flush();
            direct.shutdownNow();
            return CliExit.OK;
        }
    }

    /** Runs the measured sides at 1 and at N streams until {@code --warmup-seconds} have passed (at least once), printing how long the JIT compiled in each pass. */
    private void warmUp(PrintWriter out, @Nullable Op directOp, @Nullable Op gatewayOp) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        for (int pass = 1; pass == 1 || System.nanoTime() < until; pass++) {
            long before = jit.getTotalCompilationTime();
            run(directOp, Math.min(300, requests), 1, new Samples());
            run(gatewayOp, Math.min(300, requests), 1, new Samples());
            int loaded = Math.min(1000, Math.max(requests, concurrency * 5));
            run(directOp, loaded, concurrency, new Samples());
            run(gatewayOp, loaded, concurrency, new Samples());
            out.printf("warm-up pass %d: JIT compiled for %d ms%n", pass, jit.getTotalCompilationTime() - before);
            out.flush();
        }
    }

    /**
     * Runs each side alone in {@code forks} fresh JVMs of this command (direct and gateway
     * alternating, the order swapped every fork) and reports the mean of their p50, p99 and CPU per
     * stream, as JMH does with forks.
     */
    private int forked(PrintWriter out) throws IOException, InterruptedException {
        Map<Side, List<JsonNode>> results = new EnumMap<>(Side.class);
        results.put(Side.DIRECT, new ArrayList<>());
        results.put(Side.GATEWAY, new ArrayList<>());
        double loadBefore = load();
        for (int fork = 1; fork <= forks; fork++) {
            for (Side s : fork % 2 == 1 ? List.of(Side.DIRECT, Side.GATEWAY) : List.of(Side.GATEWAY, Side.DIRECT)) {
                JsonNode r = runFork(s);
                Objects.requireNonNull(results.get(s)).add(r);
                String prefix = s == Side.DIRECT ? "direct" : "gateway";
                JsonNode loaded = r.path("c" + concurrency);
                out.printf(
                        "fork %d %-7s: c1 p50 %.2f ms p99 %.2f ms | c%d p50 %.2f ms p99 %.2f ms | cpu/stream %d µs (jit %d) | errors %d | load %.2f%n",
                        fork,
                        prefix,
                        r.path("c1").path(prefix + "P50Ms").asDouble(),
                        r.path("c1").path(prefix + "P99Ms").asDouble(),
                        concurrency,
                        loaded.path(prefix + "P50Ms").asDouble(),
                        loaded.path(prefix + "P99Ms").asDouble(),
                        loaded.path(prefix + "CpuMicrosPerStream").asLong(),
                        loaded.path(prefix + "JitMicrosPerStream").asLong(),
                        loaded.path(prefix + "Errors").asInt(),
                        load());
                out.flush();
            }
        }
        ObjectNode summary = json.createObjectNode()
                .put("chunksPerStream", chunks)
                .put("chunkIntervalMs", chunkIntervalMs)
                .put("promptKb", promptKb)
                .put("rounds", rounds)
                .put("forks", forks)
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("loadAverage1mBefore", round(loadBefore));
        long records = 0;
        for (JsonNode r : results.get(Side.GATEWAY)) {
            records += r.path("recordsWritten").asLong();
        }
        for (int c : new int[] {1, concurrency}) {
            String key = "c" + c;
            double dP50 = mean(results.get(Side.DIRECT), key, "directP50Ms");
            double dP99 = mean(results.get(Side.DIRECT), key, "directP99Ms");
            double gP50 = mean(results.get(Side.GATEWAY), key, "gatewayP50Ms");
            double gP99 = mean(results.get(Side.GATEWAY), key, "gatewayP99Ms");
            double dCpu = mean(results.get(Side.DIRECT), key, "directCpuMicrosPerStream");
            double gCpu = mean(results.get(Side.GATEWAY), key, "gatewayCpuMicrosPerStream");
            double dJit = mean(results.get(Side.DIRECT), key, "directJitMicrosPerStream");
            double gJit = mean(results.get(Side.GATEWAY), key, "gatewayJitMicrosPerStream");
            int dErrors = (int) sum(results.get(Side.DIRECT), key, "directErrors");
            int gErrors = (int) sum(results.get(Side.GATEWAY), key, "gatewayErrors");
            out.printf(
                    "concurrency %3d: direct p50 %.2f ms p99 %.2f ms | gateway p50 %.2f ms p99 %.2f ms | added p50 %.2f ms p99 %.2f ms"
                            + " | ratio p50 %.2f p99 %.2f | cpu/stream direct %.0f µs (jit %.0f) gateway %.0f µs (jit %.0f) | errors %d/%d | mean of %d forks per side%n",
                    c,
                    dP50,
                    dP99,
                    gP50,
                    gP99,
                    gP50 - dP50,
                    gP99 - dP99,
                    gP50 / dP50,
                    gP99 / dP99,
                    dCpu,
                    dJit,
                    gCpu,
                    gJit,
                    dErrors,
                    gErrors,
                    forks);
            ObjectNode node = summary.putObject(key);
            node.put("streams", (long) sum(results.get(Side.DIRECT), key, "streams"))
                    .put("directP50Ms", round(dP50))
                    .put("directP99Ms", round(dP99))
                    .put("gatewayP50Ms", round(gP50))
                    .put("gatewayP99Ms", round(gP99))
                    .put("addedP50Ms", round(gP50 - dP50))
                    .put("addedP99Ms", round(gP99 - dP99))
                    .put("ratioP50", round(gP50 / dP50))
                    .put("ratioP99", round(gP99 / dP99))
                    .put("directCpuMicrosPerStream", Math.round(dCpu))
                    .put("gatewayCpuMicrosPerStream", Math.round(gCpu))
                    .put("directJitMicrosPerStream", Math.round(dJit))
                    .put("gatewayJitMicrosPerStream", Math.round(gJit))
                    .put("directErrors", dErrors)
                    .put("gatewayErrors", gErrors)
                    .put("loadAverage1m", round(load()));
        }
        summary.put("recordsWritten", records);
        out.println(summary);
        out.flush();
        return CliExit.OK;
    }

    /** Runs one side in a fresh JVM with this JVM's options and class path; returns its JSON line. */
    private JsonNode runFork(Side s) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // a recording or a debugger of this JVM is not the fork's
            if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agentlib:jdwp")) {
                command.add(arg);
            }
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                DrydockCli.class.getName(),
                "bench",
                "gateway",
                "--forks",
                "0",
                "--side",
                s.name().toLowerCase(Locale.ROOT),
                "--requests",
                String.valueOf(requests),
                "--concurrency",
                String.valueOf(concurrency),
                "--chunks",
                String.valueOf(chunks),
                "--chunk-interval-ms",
                String.valueOf(chunkIntervalMs),
                "--rounds",
                String.valueOf(rounds),
                "--prompt-kb",
                String.valueOf(promptKb),
                "--warmup-seconds",
                String.valueOf(warmupSeconds)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
            lines = reader.lines().toList();
        }
        int exit = process.waitFor();
        String last = lines.isEmpty() ? "" : lines.getLast();
        if (exit != 0 || !last.startsWith("{")) {
            throw new CliException(
                    "the " + s.name().toLowerCase(Locale.ROOT) + " fork failed (exit " + exit + "): "
                            + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())),
                    CliExit.FAILED);
        }
        return json.readTree(last);
    }

    private static double mean(List<JsonNode> results, String concurrency, String field) {
        return results.stream()
                .mapToDouble(r -> r.path(concurrency).path(field).asDouble())
                .average()
                .orElse(Double.NaN);
    }

    private static double sum(List<JsonNode> results, String concurrency, String field) {
        return results.stream()
                .mapToDouble(r -> r.path(concurrency).path(field).asDouble())
                .sum();
    }

    private ArrayNode messages() {
        ArrayNode m = json.createArrayNode();
        m.addObject().put("role", "system").put("content", "You are a careful coding assistant. Answer briefly.");
        m.addObject()
                .put("role", "user")
                .put(
                        "content",
                        "Explain what the function `computeChecksum(byte[] data)` in Checksums.java does, in two sentences.");
        if (promptKb > 0) {
            StringBuilder code = new StringBuilder("Checksums.java:\n");
            for (int i = 0; code.length() < promptKb * 1024; i++) {
                code.append("    /** Folds block ")
                        .append(i)
                        .append(" of the input into the running checksum; see RFC 1071 for the carry rule. */\n")
                        .append("    static int fold")
                        .append(i)
                        .append("(byte[] data, int offset, int sum) {\n")
                        .append("        for (int j = offset; j < Math.min(data.length, offset + 64); j++) {\n")
                        .append("            sum = (sum << 1 | sum >>> 31) ^ (data[j] & 0xff) * 0x9E3779B1;\n")
                        .append("        }\n        return sum;\n    }\n");
            }
            m.addObject().put("role", "user").put("content", code.toString());
        }
        return m;
    }

    /** The machine's one-minute load average, as {@code uptime} shows it (the benchmark shares the cores). */
    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    /** Latencies of one side, pooled over rounds, with the process CPU time they took and the first failure's message. */
    private static final class Samples {
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>("");
        long cpuNanos;
        long jitNanos;
        int attempted;

        int count() {
            return nanos.size();
        }

        double p50() {
            return percentile(0.5);
        }

        double p99() {
            return percentile(0.99);
        }

        /** Process CPU time per stream (client, gateway and fixture server together). */
        double cpuMicros() {
            return attempted == 0 ? Double.NaN : cpuNanos / 1e3 / attempted;
        }

        /** The part of {@link #cpuMicros()} the just-in-time compiler's threads took; NaN where the kernel does not say. */
        double jitMicros() {
            return attempted == 0 || jitNanos < 0 ? Double.NaN : jitNanos / 1e3 / attempted;
        }

        private double percentile(double q) {
            List<Long> sorted = new ArrayList<>(nanos);
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * q))) / 1e6;
        }
    }

    private static void run(@Nullable Op op, int n, int concurrency, Samples into) throws InterruptedException {
        if (op == null) {
            return;
        }
        Semaphore slots = new Semaphore(concurrency);
        long cpuBefore = processCpuNanos();
        Map<String, ThreadCpu> threadsBefore = threadCpu();
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("bench-", 0).factory())) {
            for (int i = 0; i < n; i++) {
                slots.acquire();
                pool.submit(() -> {
                    long t = System.nanoTime();
                    try {
                        op.run();
                        into.nanos.add(System.nanoTime() - t);
                    } catch (Exception e) {
                        into.errors.incrementAndGet();
                        into.firstError.compareAndSet("", String.valueOf(e.getMessage()));
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        long processCpu = processCpuNanos() - cpuBefore;
        Map<String, ThreadCpu> threadsAfter = threadCpu();
        if (threadsBefore.isEmpty() || threadsAfter.isEmpty() || into.jitNanos < 0) {
            into.cpuNanos += processCpu;
            into.jitNanos = -1;
        } else {
            // both from the kernel's per-thread nanosecond counters, so the compiler's share is part of the
            // whole; the process counter (in clock ticks here) only when it saw more
            long all = 0;
            long jit = 0;
            for (Map.Entry<String, ThreadCpu> t : threadsAfter.entrySet()) {
                ThreadCpu before = threadsBefore.get(t.getKey());
                long grew = Math.max(0, t.getValue().nanos() - (before == null ? 0 : before.nanos()));
                all += grew;
                if (t.getValue().compiler()) {
                    jit += grew;
                }
            }
            into.cpuNanos += Math.max(processCpu, all);
            into.jitNanos += jit;
        }
        into.attempted += n;
    }

    /** One thread's CPU time so far, and whether it is a just-in-time compiler thread. */
    record ThreadCpu(long nanos, boolean compiler) {}

    /**
     * The CPU time of each thread of this process by thread id, from {@code /proc/self/task/*}
     * ({@code schedstat}, in nanoseconds); compiler threads are "C1 CompilerThre" and "C2
     * CompilerThre", which are not Java threads, so no MXBean reports them. Empty where there is no
     * such file system. A thread that ends between two readings takes its time with it: the growth of
     * the threads seen at the second reading is what a run counts.
     */
    static Map<String, ThreadCpu> threadCpu() {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return Map.of();
        }
        Map<String, ThreadCpu> out = new java.util.HashMap<>();
        for (File task : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm"));
                String schedstat = Files.readString(task.toPath().resolve("schedstat"));
                out.put(
                        task.getName(),
                        new ThreadCpu(
                                Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))),
                                name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")));
            } catch (IOException | RuntimeException e) {
                // the thread ended between listing and reading
            }
        }
        return out;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }
}
