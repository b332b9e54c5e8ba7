package dev.drydock.cli.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.server.agent.AgentLoop;
import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.InMemoryEventLog;
import dev.drydock.server.agent.Limits;
import dev.drydock.server.agent.TestGatedCompletion;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.agent.tool.FinishTool;
import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.eventlog.EventBus;
import dev.drydock.server.eventlog.EventCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs many scripted droid sessions at once through the real loop, tools, codec and SSE framing (an
 * HTTP server with one SSE client per session), and measures the latency from event append to SSE
 * delivery, heap, events lost or duplicated on the way, and with {@code --store postgres} (the default)
 * the PostgreSQL append rate and the CPU the database took beside this JVM ({@link BenchPostgresLog}).
 * The model answers from a script after a simulated think time. Last line: one JSON object, {@code
 * {"store": …, "sessions": N, "events": N, "lost": N, "duplicated": N, "p99_ms": X, "heap_mib": X, …}}.
 */
@Command(
        name = "sessions",
        description =
                "Concurrent scripted droid sessions on the PostgreSQL event log: append→SSE latency (p50/p99), lost and duplicated events, append rate, CPU split, heap.")
public final class BenchSessionsCommand implements java.util.concurrent.Callable<Integer> {
    private static final Pattern AT = Pattern.compile("\"at\":\"([^\"]+)\"");

    @Option(names = "--sessions", defaultValue = "200", description = "concurrent sessions (default ${DEFAULT-VALUE})")
    int sessions;

    /** Where the events go. */
    enum Store {
        POSTGRES,
        MEMORY
    }

    /** Accepts the store in any case, and names the choices when the value is none of them. */
    static final class StoreConverter implements picocli.CommandLine.ITypeConverter<Store> {
        @Override
        public Store convert(String value) {
            try {
                return Store.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a store; use postgres or memory");
            }
        }
    }

    @Option(
            names = "--store",
            defaultValue = "postgres",
            converter = StoreConverter.class,
            description =
                    "postgres (default): the event log on the appliance's embedded PostgreSQL, migrated as the server migrates it; memory: an in-memory log, to tell the loop's and the SSE path's share from the database's")
    Store store = Store.POSTGRES;

    @Option(
            names = "--connections",
            defaultValue = "16",
            description = "PostgreSQL connections the appends share, as the server's pool (default ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = "--think-ms",
            defaultValue = "2000",
            description =
                    "mean simulated model latency per step, jittered ±50% (default ${DEFAULT-VALUE}: a tool-calling step of a model served on"
                            + " the company's own GPUs takes one to several seconds; at 500 ms, 500 sessions ask for about 4,900 events a second,"
                            + " twice what a 2-core machine appends, and the latency is then the queue)")
    int thinkMs;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "seed of the think-time jitter (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "read/edit/test rounds per session (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--step-cost",
            split = ",",
            paramLabel = "ROUNDS",
            description =
                    "instead of the concurrent run: for each session length (in rounds, e.g. 10,400) run sessions one at a time with no think time and report the loop's mean cost per step over the last steps (the time between two model calls)")
    List<Integer> stepCost = List.of();

    /** Steps at the end of a session whose cost is averaged. */
    private static final int LAST_STEPS = 20;
    /** Sessions per length; the median of their means is reported. */
    private static final int REPEATS = 5;

    @Override
    public Integer call() throws Exception {
        if (!stepCost.isEmpty()) {
            return stepCost();
        }
        if (sessions < 1 || connections < 1) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--sessions and --connections must be at least 1");
        }
        EventBus bus = new EventBus();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(new java.util.UUID(0xbe7c4L, i).toString());
        }
        java.nio.file.Path home = null;
        BenchPostgresLog postgres = null;
        EventLog log;
        if (store == Store.POSTGRES) {
            home = BenchPostgresLog.scratch();
            System.err.println("starting PostgreSQL in " + home + " …");
            postgres = BenchPostgresLog.start(home, connections, bus::publish);
            postgres.createSessions(ids);
            log = postgres;
        } else {
            log = new InMemoryEventLog(Clock.systemUTC(), bus::publish);
        }
        try {
            return run(bus, log, postgres, ids);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            if (home != null) {
                BenchPostgresLog.deleteTree(home);
            }
        }
    }

    private int run(EventBus bus, EventLog log, @Nullable BenchPostgresLog postgres, List<String> ids)
            throws Exception {
        EventCodec codec = new EventCodec();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        ConcurrentLinkedQueue<Long> writtenMicros = new ConcurrentLinkedQueue<>();
        server.createContext("/sessions/", exchange -> stream(exchange, log, bus, codec, writtenMicros));
        server.start();
        AtomicLong heapMax = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().name("bench-heap").start(() -> {
            var mem = ManagementFactory.getMemoryMXBean();
            while (!Thread.currentThread().isInterrupted()) {
                heapMax.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
        java.util.Map<String, java.util.Set<Long>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger duplicated = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch clientsReady = new CountDownLatch(sessions);
        CountDownLatch clientsDone = new CountDownLatch(sessions);
        int port = server.getAddress().getPort();
        for (int i = 0; i < sessions; i++) {
            String id = ids.get(i);
            java.util.Set<Long> mine = java.util.concurrent.ConcurrentHashMap.newKeySet();
            seen.put(id, mine);
            Thread.ofPlatform()
                    .daemon()
                    .stackSize(256 * 1024)
                    .name("bench-client-" + i)
                    .start(() -> {
                        try {
                            clientsReady.countDown();
                            SseClient.read(port, "/sessions/" + id + "/events", l -> {
                                if (l.equals("event: end")) {
                                    return false;
                                }
                                if (l.startsWith("id: ")
                                        && !mine.add(
                                                Long.parseLong(l.substring(4).strip()))) {
                                    duplicated.incrementAndGet();
                                }
                                if (l.startsWith("data: ")) {
                                    Matcher m = AT.matcher(l);
                                    if (m.find()) {
                                        Duration d = Duration.between(Instant.parse(m.group(1)), Instant.now());
                                        latenciesMicros.add(d.toNanos() / 1000);
                                        delivered.incrementAndGet();
                                    }
                                }
                                return true;
                            });
                        } catch (Exception e) {
                            System.err.println("client " + id + " failed: " + e);
                        } finally {
                            clientsDone.countDown();
                        }
                    });
        }
        clientsReady.await();
        Thread.sleep(300);
        Instant start = Instant.now();
        long cpuBefore = processCpuNanos();
        double dbCpuBefore = postgres == null ? 0 : postgres.databaseCpuSeconds();
        List<Thread> runs = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String id = ids.get(i);
            runs.add(Thread.ofVirtual().name("bench-session-" + i).start(() -> {
                runSession(id, log, rounds, thinkMs, () -> {});
                completed.incrementAndGet();
            }));
        }
        for (Thread t : runs) {
            t.join();
        }
        Duration wall = Duration.between(start, Instant.now());
        clientsDone.await(60, TimeUnit.SECONDS);
        double serverCpu = (processCpuNanos() - cpuBefore) / 1e9;
        double dbCpu = postgres == null ? 0 : postgres.databaseCpuSeconds() - dbCpuBefore;
        server.stop(0);
        sampler.interrupt();
        long events = 0;
        long lost = 0;
        for (String id : ids) {
            List<Event> stored = log.readAll(id);
            events += stored.size();
            java.util.Set<Long> got = seen.getOrDefault(id, java.util.Set.of());
            for (Event e : stored) {
                if (!got.contains(e.seq())) {
                    lost++;
                }
            }
        }
        List<Long> sorted = new ArrayList<>(latenciesMicros);
        Collections.sort(sorted);
        List<Long> written = new ArrayList<>(writtenMicros);
        Collections.sort(written);
        double serverP99 = pct(written, 0.99) / 1000.0;
        double p50 = pct(sorted, 0.50) / 1000.0;
        double p99 = pct(sorted, 0.99) / 1000.0;
        double max = sorted.isEmpty() ? 0 : sorted.getLast() / 1000.0;
        long heapMiB = heapMax.get() >> 20;
        long maxHeapMiB = Runtime.getRuntime().maxMemory() >> 20;
        System.err.printf(
                Locale.ROOT,
                "%d sessions (%d completed), %d events appended, %d delivered over SSE in %.1f s%n",
                sessions,
                completed.get(),
                events,
                delivered.get(),
                wall.toMillis() / 1000.0);
        System.err.printf(Locale.ROOT, "append→SSE frame written and flushed by the server: p99 %.2f ms%n", serverP99);
        System.err.printf(
                Locale.ROOT,
                "append→SSE latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms; heap used max %d MiB (of -Xmx %d MiB)%n",
                p50,
                p99,
                max,
                heapMiB,
                maxHeapMiB);
        double wallSeconds = wall.toMillis() / 1000.0;
        List<Long> appends = postgres == null ? new ArrayList<>() : postgres.appendMicros();
        Collections.sort(appends);
        System.err.printf(
                Locale.ROOT,
                "store %s: %d events lost, %d duplicated; append rate %.0f events/s (append transaction p50 %.2f ms, p99 %.2f ms, %d connections)%n",
                store.name().toLowerCase(Locale.ROOT),
                lost,
                duplicated.get(),
                events / wallSeconds,
                pct(appends, 0.50) / 1000.0,
                pct(appends, 0.99) / 1000.0,
                connections);
        System.err.printf(
                Locale.ROOT,
                "CPU over the run: this JVM (loop, SSE server and the SSE clients) %.1f s = %.0f%% of one core; PostgreSQL %.1f s = %.0f%%; split %.0f/%.0f; load average %.1f on %d cores%n",
                serverCpu,
                100 * serverCpu / wallSeconds,
                dbCpu,
                100 * dbCpu / wallSeconds,
                100 * serverCpu / Math.max(1e-9, serverCpu + dbCpu),
                100 * dbCpu / Math.max(1e-9, serverCpu + dbCpu),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        System.err.printf(
                Locale.ROOT,
                "{\"serverWriteP99Ms\":%.2f,\"thinkMs\":%d,\"sessions\":%d,\"completed\":%d,\"events\":%d,\"delivered\":%d,\"wallSeconds\":%.2f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"maxMs\":%.2f,\"heapUsedMaxMiB\":%d,\"heapLimitMiB\":%d,\"cores\":%d}%n",
                serverP99,
                thinkMs,
                sessions,
                completed.get(),
                events,
                delivered.get(),
                wall.toMillis() / 1000.0,
                p50,
                p99,
                max,
                heapMiB,
                maxHeapMiB,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "{\"store\": \"%s\", \"sessions\": %d, \"events\": %d, \"lost\": %d, \"duplicated\": %d, \"p99_ms\": %.2f, \"heap_mib\": %d, \"p50_ms\": %.2f, \"append_rate_per_s\": %.0f, \"server_cpu_s\": %.1f, \"db_cpu_s\": %.1f, \"wall_s\": %.1f, \"think_ms\": %d}%n",
                store.name().toLowerCase(Locale.ROOT),
                sessions,
                events,
                lost,
                duplicated.get(),
                p99,
                heapMiB,
                p50,
                events / wallSeconds,
                serverCpu,
                dbCpu,
                wallSeconds,
                thinkMs);
        return completed.get() == sessions && lost == 0 && duplicated.get() == 0 ? 0 : 1;
    }

    /** Per-step cost of the loop at each session length: flat means the loop's cost does not grow with the log. */
    private int stepCost() {
        for (int w = 0; w < REPEATS; w++) {
            stepCostOnce(stepCost.getLast());
        }
        List<String> rows = new ArrayList<>();
        double firstMean = 0;
        double firstMedian = 0;
        for (int length : stepCost) {
            List<double[]> runs = new ArrayList<>();
            for (int r = 0; r < REPEATS; r++) {
                runs.add(stepCostOnce(length));
            }
            double mean = runs.stream().mapToDouble(x -> x[0]).sorted().toArray()[REPEATS / 2];
            double median = runs.stream().mapToDouble(x -> x[1]).sorted().toArray()[REPEATS / 2];
            long condensations = (long) runs.getFirst()[2];
            if (firstMean == 0) {
                firstMean = mean;
                firstMedian = median;
            }
            System.err.printf(
                    Locale.ROOT,
                    "%d rounds (%d steps): last %d steps: mean %.1f µs per step (%.2f× the first length), median %.1f µs (%.2f×); %d history condensation(s) in the session%n",
                    length,
                    length * 5 + 2,
                    LAST_STEPS,
                    mean,
                    mean / firstMean,
                    median,
                    median / firstMedian,
                    condensations);
            rows.add(String.format(
                    Locale.ROOT,
                    "{\"rounds\":%d,\"steps\":%d,\"meanStepMicros\":%.1f,\"meanRatio\":%.2f,\"medianStepMicros\":%.1f,\"medianRatio\":%.2f,\"condensations\":%d}",
                    length,
                    length * 5 + 2,
                    mean,
                    mean / firstMean,
                    median,
                    median / firstMedian,
                    condensations));
        }
        System.out.println("{\"stepCost\":[" + String.join(",", rows) + "]}");
        return 0;
    }

    /**
     * Microseconds between consecutive model calls over the last steps of one session: their mean,
     * their median (which a rare step such as a history condensation or a GC pause does not move), and
     * the number of condensations in the session.
     */
    private double[] stepCostOnce(int length) {
        InMemoryEventLog log = new InMemoryEventLog(Clock.systemUTC());
        List<Long> gaps = new ArrayList<>();
        long[] last = {0};
        runSession("step-cost", log, length, 0, () -> {
            long now = System.nanoTime();
            if (last[0] != 0) {
                gaps.add(now - last[0]);
            }
            last[0] = now;
        });
        List<Long> tail = new ArrayList<>(gaps.subList(Math.max(0, gaps.size() - LAST_STEPS), gaps.size()));
        double mean = tail.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0;
        Collections.sort(tail);
        double median = tail.isEmpty() ? 0 : tail.get(tail.size() / 2) / 1000.0;
        long condensations = log.readAll("step-cost").stream()
                .filter(e -> e.payload() instanceof Progress.HistoryCondensed)
                .count();
        return new double[] {mean, median, condensations};
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    private static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    /** One SSE stream: backlog, then live events from the bus, until the session finishes. */
    private static void stream(
            HttpExchange exchange,
            EventLog log,
            EventBus bus,
            EventCodec codec,
            ConcurrentLinkedQueue<Long> writtenMicros)
            throws IOException {
        String id = exchange.getRequestURI().getPath().split("/")[2];
        BlockingQueue<Event> live = new LinkedBlockingQueue<>();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (AutoCloseable sub = bus.subscribe(id, live::add);
                OutputStream out = exchange.getResponseBody()) {
            long last = 0;
            boolean finished = false;
            for (Event b : log.read(id, 0, Integer.MAX_VALUE)) {
                out.write(frame(codec, b));
                last = b.seq();
                finished = b.payload() instanceof Lifecycle.SessionFinished;
            }
            out.flush();
            while (!finished) {
                Event e = live.poll(30, TimeUnit.SECONDS);
                if (e == null) {
                    break;
                }
                List<Event> batch =
                        e.seq() == last + 1 ? List.of(e) : log.read(id, last, (int) Math.max(0, e.seq() - last));
                for (Event b : batch) {
                    if (b.seq() <= last) {
                        continue;
                    }
                    out.write(frame(codec, b));
                    last = b.seq();
                    finished = b.payload() instanceof Lifecycle.SessionFinished;
                }
                out.flush();
                Instant now = Instant.now();
                batch.forEach(
                        b -> writtenMicros.add(Duration.between(b.at(), now).toNanos() / 1000));
            }
            out.write("event: end\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            // client went away
        }
    }

    private static byte[] frame(EventCodec codec, Event b) {
        return ("id: " + b.seq() + "\nevent: " + codec.typeName(b.payload()) + "\ndata: " + codec.encodeEvent(b)
                        + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void runSession(String id, EventLog log, int rounds, int thinkMs, Runnable onModelCall) {
        log.append(
                id,
                Source.USER,
                new Lifecycle.SessionStarted("code", "Fix add() in calc.py", "bench", "calc", "0000000"));
        log.append(
                id,
                Source.SYSTEM,
                new Progress.ContextPrepared(
                        "You are the code droid.", List.of(), "", "- Languages: Python (2 files)"));
        BenchWorkspace ws = new BenchWorkspace();
        List<ToolCall> script = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            script.add(new ToolCall("", "read_file", "{\"path\":\"calc.py\"}"));
            script.add(new ToolCall("", "grep", "{\"pattern\":\"def add\"}"));
            script.add(
                    new ToolCall("", "update_plan", "{\"steps\":[{\"text\":\"fix add\",\"status\":\"in_progress\"}]}"));
            script.add(new ToolCall(
                    "",
                    "edit_file",
                    "{\"path\":\"calc.py\",\"old_text\":\"return a - b  # " + r + "\",\"new_text\":\"return a - b  # "
                            + (r + 1) + "\"}"));
            script.add(new ToolCall("", "run_tests", "{}"));
        }
        script.add(new ToolCall(
                "", "edit_file", "{\"path\":\"calc.py\",\"old_text\":\"return a - b\",\"new_text\":\"return a + b\"}"));
        script.add(new ToolCall("", "finish", "{\"summary\":\"fixed\"}"));
        AtomicInteger step = new AtomicInteger();
        java.util.Random jitter = new java.util.Random(seed ^ id.hashCode());
        LlmModel model = request -> {
            onModelCall.run();
            try {
                if (thinkMs > 0) {
                    // the scripted model's think time: the load this benchmark models, not a wait for a condition
                    Thread.sleep(thinkMs / 2 + jitter.nextInt(thinkMs + 1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ToolCall c = script.get(Math.min(step.getAndIncrement(), script.size() - 1));
            return new ModelReply("next", List.of(c), new ModelReply.Usage("bench", 1200, 40, 0));
        };
        AgentLoop loop = new AgentLoop(
                log,
                model,
                new AgentLoop.Droid(
                        "code",
                        "default",
                        ToolBox.named(ToolBox.builtInNames(), new FinishTool()),
                        new TestGatedCompletion((s, d, m, t) -> Optional.empty()),
                        new Limits(Math.max(100, rounds * 5 + 10), Long.MAX_VALUE, Duration.ofMinutes(10))),
                Autonomy.AUTO_EDIT,
                new ToolContext(id, ws, (q, n) -> List.of(), Memory.none(), new TestCommand("make test", "bench")),
                128_000,
                new AgentLoop.Retry(1, Duration.ZERO),
                Clock.systemUTC());
        loop.run(id);
    }
}
