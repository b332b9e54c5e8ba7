package dev.drydock.cli.model;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliExit;
import dev.drydock.server.gateway.core.BudgetCheck;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.Classification;
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
import dev.drydock.server.gateway.egress.EgressGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
@Command(name = "gateway", description = "Gateway overhead vs calling the model server directly: p50/p99 at 1 and N concurrent streams.")
public final class GatewayBenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--requests", defaultValue = "400", description = "Streams per measured run at concurrency 1 (default 400)")
    int requests = 400;

    @Option(names = "--concurrency", defaultValue = "200", description = "Concurrent streams for the loaded run (default 200)")
    int concurrency = 200;

    @Option(names = "--chunks", defaultValue = "32", description = "Content deltas per streamed answer (default 32)")
    int chunks = 32;

    @Option(names = "--chunk-interval-ms", defaultValue = "0",
            description = "Pause of the fixture server between deltas, as a model generating tokens (default 0: the whole answer at once, so that N streams keep every core busy)")
    int chunkIntervalMs = 0;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Measured runs per side, direct and gateway alternating (in swapped order every round), pooled; evens out other load on the machine (default 3)")
    int rounds = 3;

    @Option(names = "--side", defaultValue = "both", converter = SideConverter.class,
            description = "both (default), or only direct or only gateway: to profile one side alone (the other side's numbers then print as NaN)")
    Side side = Side.BOTH;

    enum Side { BOTH, DIRECT, GATEWAY }

    /** Accepts the side in any case, and names the choices when the value is none of them. */
    static final class SideConverter implements ITypeConverter<Side> {
        @Override
        public Side convert(String value) {
            try {
                return Side.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a side; use both, direct or gateway");
            }
        }
    }

    @Option(names = "--prompt-kb", defaultValue = "0",
            description = "Adds this many KiB of source code to the prompt, as a droid's context does (default 0: a two-line prompt). DLP, fingerprint and token estimate scale with it")
    int promptKb = 0;

    /** Shared by both sides; with the server's buffer pool (see {@code JsonBufferPool}), since every stream runs on a new virtual thread. */
    private final ObjectMapper json = pooled(new ObjectMapper());

    private static ObjectMapper pooled(ObjectMapper mapper) {
        mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedBoundedPool());
        return mapper;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (BenchModelServerFixture fixture = new BenchModelServerFixture(chunks, Duration.ofMillis(chunkIntervalMs));
                EgressGuard egress = new EgressGuard(List.of("127.0.0.1"), r -> {}, Clock.systemUTC())) {
            EndpointSpec endpoint = new EndpointSpec("bench", URI.create(fixture.baseUrl()), Protocol.OPENAI_CHAT, "bench-model", "Authorization", null, 1_000_000,
                    EnumSet.of(Capability.STREAMING), concurrency + 8, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30),
                    BigDecimal.ONE, BigDecimal.ONE, Classification.SECRET, null);
            AtomicLong recorded = new AtomicLong();
            Gateway gateway = new Gateway(EndpointCatalog.of(List.of(endpoint), List.of(new RouteSpec("bench", "*", "*", "*", List.of("bench")))),
                    Map.of(Protocol.OPENAI_CHAT, new OpenAiChatClient(new UpstreamHttp(egress, 16L << 20), json)),
                    new GatewaySettings(1, Duration.ofMillis(10), Duration.ofMillis(10), 1000, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                    Clock.systemUTC(), r -> recorded.incrementAndGet(), BudgetCheck.NONE, DlpPolicy.REDACT, SecretResolver.DEFAULT, json, EndpointTokenizers.NONE);
            HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-direct-", 0).factory())).build();
            ArrayNode messages = messages();
            Op directOp = () -> {
                // a client builds its request body per call, as the gateway does
                byte[] body = json.writeValueAsBytes(json.createObjectNode().put("model", "bench-model").put("stream", true).set("messages", messages));
                HttpRequest req = HttpRequest.newBuilder(URI.create(fixture.baseUrl() + "/chat/completions")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                HttpResponse<InputStream> r = direct.send(req, HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    r.body().close();
                    throw new IllegalStateException("HTTP " + r.statusCode());
                }
                readLikeAClient(r.body());
            };
            CallContext ctx = CallContext.of("bench", "bench", "chat", Classification.INTERNAL);
            ChatRequest request = new ChatRequest(messages(), null, null, false, null, null, true);
            Op gatewayOp = () -> gateway.chat(ctx, request, e -> {}, new Cancellation());

            out.println("warming up…");
            out.flush();
            int warmup = Math.min(300, requests);
            run(directOp, warmup, 1, new Samples());
            run(gatewayOp, warmup, 1, new Samples());
            int loadedWarmup = Math.min(1000, Math.max(requests, concurrency * 5));
            run(directOp, loadedWarmup, concurrency, new Samples());
            run(gatewayOp, loadedWarmup, concurrency, new Samples());
            ObjectNode summary = json.createObjectNode().put("chunksPerStream", chunks).put("chunkIntervalMs", chunkIntervalMs).put("promptKb", promptKb).put("rounds", rounds)
                    .put("cores", Runtime.getRuntime().availableProcessors()).put("loadAverage1mBefore", round(load()));
            for (int c : new int[] {1, concurrency}) {
                int n = c == 1 ? requests : Math.max(requests, concurrency * 10);
                Samples d = new Samples();
                Samples g = new Samples();
                boolean measureDirect = side != Side.GATEWAY;
                boolean measureGateway = side != Side.DIRECT;
                for (int round = 0; round < rounds; round++) {
                    if (round % 2 == 0) {
                        run(measureDirect ? directOp : null, n, c, d);
                        run(measureGateway ? gatewayOp : null, n, c, g);
                    } else {
                        run(measureGateway ? gatewayOp : null, n, c, g);
                        run(measureDirect ? directOp : null, n, c, d);
                    }
                }
                out.printf("concurrency %3d: direct p50 %.2f ms p99 %.2f ms | gateway p50 %.2f ms p99 %.2f ms | added p50 %.2f ms p99 %.2f ms"
                        + " | ratio p50 %.2f p99 %.2f | cpu/stream direct %.0f µs gateway %.0f µs | errors %d/%d | load %.2f%n", c, d.p50(), d.p99(), g.p50(), g.p99(),
                        g.p50() - d.p50(), g.p99() - d.p99(), g.p50() / d.p50(), g.p99() / d.p99(), d.cpuMicros(), g.cpuMicros(), d.errors.get(), g.errors.get(), load());
                for (String error : List.of(d.firstError.get().isEmpty() ? "" : "direct: " + d.firstError.get(), g.firstError.get().isEmpty() ? "" : "gateway: " + g.firstError.get())) {
                    if (!error.isEmpty()) {
                        out.println("  first error " + error);
                    }
                }
                out.flush();
                ObjectNode node = summary.putObject("c" + c);
                node.put("streams", d.count()).put("directP50Ms", round(d.p50())).put("directP99Ms", round(d.p99())).put("gatewayP50Ms", round(g.p50()))
                        .put("gatewayP99Ms", round(g.p99())).put("addedP50Ms", round(g.p50() - d.p50())).put("addedP99Ms", round(g.p99() - d.p99()))
                        .put("ratioP50", round(g.p50() / d.p50())).put("ratioP99", round(g.p99() / d.p99()))
                        .put("directCpuMicrosPerStream", Math.round(d.cpuMicros())).put("gatewayCpuMicrosPerStream", Math.round(g.cpuMicros()))
                        .put("directErrors", d.errors.get()).put("gatewayErrors", g.errors.get()).put("loadAverage1m", round(load()));
            }
            summary.put("recordsWritten", recorded.get());
            out.println(summary);
            out.flush();
            direct.shutdownNow();
            return CliExit.OK;
        }
    }

    /**
     * The baseline consumes the stream the way an OpenAI client library does, so that the difference
     * is the gateway's own work: it reads the SSE lines, parses each {@code data:} chunk as JSON and
     * collects the content deltas until {@code [DONE]}, then leaves the end of the body to a
     * background reader (as the gateway does) so that the connection returns to the pool.
     */
    private void readLikeAClient(InputStream in) throws IOException {
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
            if (delta.path("content").isTextual()) {
                content.append(delta.path("content").asText());
            }
        }
        if (!done || content.isEmpty()) {
            in.close();
            throw new IllegalStateException("the stream ended before [DONE]");
        }
        Thread.ofVirtual().name("bench-drain").start(() -> {
            try (in) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // a broken remainder only costs the connection
            }
        });
    }

    private ArrayNode messages() {
        ArrayNode m = json.createArrayNode();
        m.addObject().put("role", "system").put("content", "You are a careful coding assistant. Answer briefly.");
        m.addObject().put("role", "user").put("content", "Explain what the function `computeChecksum(byte[] data)` in Checksums.java does, in two sentences.");
        if (promptKb > 0) {
            StringBuilder code = new StringBuilder("Checksums.java:\n");
            for (int i = 0; code.length() < promptKb * 1024; i++) {
                code.append("    /** Folds block ").append(i).append(" of the input into the running checksum; see RFC 1071 for the carry rule. */\n")
                        .append("    static int fold").append(i).append("(byte[] data, int offset, int sum) {\n")
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
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-", 0).factory())) {
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
        into.cpuNanos += processCpuNanos() - cpuBefore;
        into.attempted += n;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }
}
