package dev.drydock.cli.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * BENCHMARK FIXTURE, not a product feature: a minimal OpenAI-compatible model server on 127.0.0.1
 * (ephemeral port) that streams a fixed answer of {@code chunks} deltas, used only by
 * {@code ./drydock bench gateway} to have something deterministic to measure against. The server
 * never starts it.
 */
final class BenchModelServerFixture implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("bench-model-", 0).factory());
    private final byte[] answer;
    private final byte[] head;
    private final byte[][] deltas;
    private final byte[] tail;
    private final Duration interval;

    static {
        // The JDK server closes a finished connection instead of keeping it alive once 200 are idle. The
        // benchmark holds up to two pools of that size (direct, then gateway), so the side measured second
        // would pay for new TCP connections and race against closed ones ("header parser received no bytes").
        // Read once when the server class loads; the benchmark is its only user in this process.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        }
        // Each delta is a small write of its own: with Nagle's algorithm on, the second one waits for the
        // client's delayed acknowledgement of the first (up to 40 ms), which no model server makes its clients wait
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** {@code interval} is the pause between deltas; zero sends the whole answer in one write. */
    BenchModelServerFixture(int chunks, Duration interval) {
        this.interval = interval;
        head =
                "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
                        .getBytes(StandardCharsets.UTF_8);
        deltas = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            deltas[i] =
                    ("data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok"
                                    + i + " \"}}]}\n\n")
                            .getBytes(StandardCharsets.UTF_8);
        }
        tail =
                ("data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                                + "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
                                + chunks + "}}\n\n"
                                + "data: [DONE]\n\n")
                        .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head);
        for (byte[] d : deltas) {
            all.writeBytes(d);
        }
        all.writeBytes(tail);
        answer = all.toByteArray();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void chat(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            if (interval.isZero()) {
                out.write(answer);
                return;
            }
            out.write(head);
            out.flush();
            for (byte[] delta : deltas) {
                pause();
                out.write(delta);
                out.flush();
            }
            out.write(tail);
        }
    }

    /** Paces the deltas like a model generating tokens (this fixture runs on virtual threads). */
    private void pause() throws IOException {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
