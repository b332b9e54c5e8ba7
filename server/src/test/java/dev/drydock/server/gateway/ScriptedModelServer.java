package dev.drydock.server.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A scripted OpenAI-compatible model server on 127.0.0.1 (ephemeral port) for tests: each chat
 * request takes the next scripted {@link Reply} (or the default one). It can stream, emit tool calls,
 * answer malformed JSON, HTML or non-UTF-8 bytes, stall, break off mid-stream and return any status.
 */
public final class ScriptedModelServer implements AutoCloseable {
    /** One scripted answer. */
    public sealed interface Reply {}

    /** Streams {@code chunks} as content deltas; then usage (when non-null) and [DONE] unless {@code breakOff}. */
    public record Stream(List<String> chunks, @Nullable long[] usage, boolean breakOff, long delayMillis)
            implements Reply {}

    /** Streams one native tool call, its arguments in two fragments. */
    public record ToolCallStream(String name, String arguments) implements Reply {}

    /** Any status, content type and body. */
    public record Raw(int status, String contentType, byte[] body) implements Reply {}

    /** Sends headers and one chunk, then stays silent (or pings every 20 ms when {@code ping}) until the client goes away or the server stops. */
    public record Stall(boolean ping) implements Reply {}

    /** Reads the request and answers nothing, not even headers, until the server stops. */
    public record Silent() implements Reply {}

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("scripted-model-", 0).daemon(true).factory());
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Reply otherwise = stream("Hello", " world");
    private volatile java.util.function.@Nullable Function<String, Reply> responder;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger chatCount = new AtomicInteger();
    private final java.util.Set<Integer> clientPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private final CountDownLatch stallStarted = new CountDownLatch(1);
    private volatile @Nullable String requiredKey;
    private volatile long bodyEndDelayMillis;

    public ScriptedModelServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // platform threads: the double's timing (a stalled stream's pings, noticing a closed connection)
        // must not depend on the virtual-thread scheduler of the JVM under test, whose carriers
        // the system's own work may hold
        server.setExecutor(handlers);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/models", this::models);
        server.createContext("/api/chat", this::chat);
        server.start();
    }

    public static Stream stream(String... chunks) {
        return new Stream(List.of(chunks), new long[] {7, chunks.length}, false, 0);
    }

    public static Stream streamWithoutUsage(String... chunks) {
        return new Stream(List.of(chunks), null, false, 0);
    }

    public static Stream breakOffAfter(String... chunks) {
        return new Stream(List.of(chunks), null, true, 0);
    }

    public static Raw status(int status, String body) {
        return new Raw(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete (non-streamed) chat answer with {@code content}. */
    public static Raw whole(String content) {
        return new Raw(
                200,
                "application/json",
                ("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(content)
                                + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    public static Raw html() {
        return new Raw(200, "text/html", "<html><body>Login</body></html>".getBytes(StandardCharsets.UTF_8));
    }

    /** The API root to configure as an endpoint's base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public ScriptedModelServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Answers each chat request without a scripted reply by {@code responder} over the request's body (a stateless model). */
    public ScriptedModelServer respond(java.util.function.Function<String, Reply> responder) {
        this.responder = responder;
        return this;
    }

    public ScriptedModelServer otherwise(Reply reply) {
        this.otherwise = reply;
        return this;
    }

    /** Ends a stream's body this long after its {@code [DONE]} event, as a server or proxy that finishes the chunked body late. */
    public ScriptedModelServer endBodyAfterDone(long millis) {
        this.bodyEndDelayMillis = millis;
        return this;
    }

    /** Answers 401 unless the request carries {@code Authorization: Bearer key}. */
    public ScriptedModelServer requireKey(String key) {
        this.requiredKey = key;
        return this;
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public int chatCount() {
        return chatCount.get();
    }

    /** How many TCP connections chat requests came over (distinct client ports). */
    public int chatConnections() {
        return clientPorts.size();
    }

    /** Waits until a client closed the connection of a stalled answer. */
    public boolean awaitClientGone(long seconds) throws InterruptedException {
        return clientGone.await(seconds, TimeUnit.SECONDS);
    }

    public boolean awaitStall(long seconds) throws InterruptedException {
        return stallStarted.await(seconds, TimeUnit.SECONDS);
    }

    private void models(HttpExchange ex) throws IOException {
        byte[] body = "{\"object\":\"list\",\"data\":[{\"id\":\"scripted-model\",\"object\":\"model\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void chat(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(body);
        chatCount.incrementAndGet();
        clientPorts.add(ex.getRemoteAddress().getPort());
        String key = requiredKey;
        if (key != null && !("Bearer " + key).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, status(401, "{\"error\":{\"message\":\"invalid api key\"}}"));
            return;
        }
        Reply reply = script.poll();
        var answer = responder;
        send(ex, reply != null ? reply : answer != null ? answer.apply(body) : otherwise);
    }

    private void send(HttpExchange ex, Reply reply) throws IOException {
        switch (reply) {
            case Raw raw -> {
                ex.getResponseHeaders().set("Content-Type", raw.contentType());
                ex.sendResponseHeaders(raw.status(), raw.body().length == 0 ? -1 : raw.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(raw.body());
                }
            }
            case Stream s -> {
                sse(ex);
                try (OutputStream out = ex.getResponseBody()) {
                    event(
                            out,
                            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
                    for (String chunk : s.chunks()) {
                        if (s.delayMillis() > 0) {
                            pause(s.delayMillis());
                        }
                        event(
                                out,
                                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                                        + quote(chunk) + "}}]}");
                    }
                    if (s.breakOff()) {
                        return;
                    }
                    event(
                            out,
                            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
                    long[] usage = s.usage();
                    if (usage != null) {
                        event(
                                out,
                                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                                        + usage[0] + ",\"completion_tokens\":" + usage[1] + ",\"total_tokens\":"
                                        + (usage[0] + usage[1]) + "}}");
                    }
                    event(out, "[DONE]");
                    if (bodyEndDelayMillis > 0) {
                        pause(bodyEndDelayMillis);
                    }
                }
            }
            case ToolCallStream t -> {
                sse(ex);
                try (OutputStream out = ex.getResponseBody()) {
                    int half = t.arguments().length() / 2;
                    event(
                            out,
                            "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":"
                                    + quote(t.name()) + ",\"arguments\":"
                                    + quote(t.arguments().substring(0, half)) + "}}]}}]}");
                    event(
                            out,
                            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                                    + quote(t.arguments().substring(half)) + "}}]}}]}");
                    event(
                            out,
                            "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9}}");
                    event(out, "[DONE]");
                }
            }
            case Silent silent -> {
                stallStarted.countDown();
                try {
                    stopping.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ex.close();
                }
            }
            case Stall st -> {
                sse(ex);
                OutputStream out = ex.getResponseBody();
                event(out, "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
                stallStarted.countDown();
                try {
                    if (st.ping()) {
                        while (!stopping.await(20, TimeUnit.MILLISECONDS)) {
                            out.write(": ping\n\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } else {
                        stopping.await(60, TimeUnit.SECONDS);
                    }
                } catch (IOException e) {
                    clientGone.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    ex.close();
                }
            }
        }
    }

    private static void sse(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(long millis) {
        try {
            new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Raw SSE bytes, for answers no well-behaved server would send. */
    public static Raw rawSse(byte[] bytes) {
        return new Raw(200, "text/event-stream", bytes);
    }

    public static byte[] concat(byte[]... parts) {
        List<Byte> all = new ArrayList<>();
        for (byte[] p : parts) {
            for (byte b : p) {
                all.add(b);
            }
        }
        byte[] out = new byte[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
