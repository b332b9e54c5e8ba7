package dev.drydock.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The shared plumbing of the git servers' contract fakes: a JDK HTTP server on loopback that records
 * each request and answers what the subclass, following the vendor's published API reference, says.
 */
public abstract class ApiFake implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the fake received it. */
    public record Received(String method, String path, java.util.Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(e -> e.getValue().getFirst())
                    .orElse(null);
        }
    }

    /** An answer: status and JSON body. */
    record Answer(int status, Object body) {}

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    ApiFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The API base URL, through {@code localhost}. */
    public String base(String apiPath) {
        return "http://localhost:" + server.getAddress().getPort() + apiPath;
    }

    abstract Answer answer(Received request) throws IOException;

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received r = new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(r);
            Answer a;
            try {
                a = answer(r);
            } catch (RuntimeException e) {
                a = new Answer(400, java.util.Map.of("message", String.valueOf(e.getMessage())));
            }
            if (a.status() == 204) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            byte[] body = JSON.writeValueAsBytes(a.body());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
