package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.toolcall.TextToolCallParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Probes a model endpoint the way the gateway will use it (the same protocol client): models,
 * completion, streaming, time to first token, tool calling and JSON mode, one line per capability.
 * {@code ./drydock model check} prints the lines; the portal's "Test" button shows them.
 */
public final class ModelProbe {
    /** One probed capability and its result ({@code ok}, {@code missing (…)} or {@code error: …}). */
    public record Line(String name, String value) {}

    /**
     * @param model the model probed; null when the server lists none and none was named
     * @param results capability → result, keys {@code models, completion, streaming, tools, jsonMode}
     * @param ok whether the endpoint can serve the gateway: models listed without error and a completion
     */
    public record Report(
            @Nullable String model,
            Map<String, String> results,
            @Nullable Long ttftMillis,
            boolean ok,
            List<Line> lines) {}

    private final ModelClient client;
    private final ObjectMapper json;
    private final Duration timeout;

    public ModelProbe(ModelClient client, ObjectMapper json, Duration timeout) {
        this.client = client;
        this.json = json;
        this.timeout = timeout;
    }

    /** Runs every probe in turn; {@code out} receives each line as soon as it is known. */
    public Report run(URI base, Protocol proto, @Nullable String model, @Nullable String secret, Consumer<Line> out) {
        List<Line> lines = new java.util.ArrayList<>();
        Consumer<Line> emit = l -> {
            lines.add(l);
            out.accept(l);
        };
        Map<String, String> results = new LinkedHashMap<>();
        String found = model;
        try {
            List<String> ids = client.listModels(
                    spec(base, proto, model == null ? "" : model, EnumSet.noneOf(Capability.class)), secret);
            if (found == null) {
                found = ids.isEmpty() ? null : ids.getFirst();
            }
            String listed = String.join(", ", ids.size() > 5 ? ids.subList(0, 5) : ids) + (ids.size() > 5 ? ", …" : "");
            results.put(
                    "models",
                    ids.isEmpty()
                            ? "missing"
                            : model != null && !ids.contains(model)
                                    ? "error: " + model + " is not listed (" + listed + ")"
                                    : "ok");
            emit.accept(new Line(
                    "models", results.get("models") + (ids.isEmpty() ? "" : " (" + ids.size() + ": " + listed + ")")));
        } catch (UpstreamException e) {
            results.put("models", "error: " + e.getMessage());
            emit.accept(new Line("models", results.get("models")));
        }
        if (found == null) {
            return new Report(null, results, null, false, List.copyOf(lines));
        }
        final String chosen = found;
        EndpointSpec plain = spec(base, proto, chosen, EnumSet.noneOf(Capability.class));
        EndpointSpec streaming = spec(base, proto, chosen, EnumSet.of(Capability.STREAMING));

        results.put("completion", attempt(() -> {
            ModelClient.Attempt a = client.chat(
                    plain, secret, request("Say hello in one word.", null, false), e -> {}, new Cancellation());
            return a.content().isBlank() && a.toolCalls().isEmpty() ? "error: empty answer" : "ok";
        }));
        emit.accept(new Line("completion", results.get("completion")));

        AtomicInteger deltas = new AtomicInteger();
        Long[] ttft = {null};
        results.put("streaming", attempt(() -> {
            ModelClient.Attempt a = client.chat(
                    streaming,
                    secret,
                    request("Count from 1 to 10, separated by spaces.", null, false),
                    e -> {
                        if (e instanceof StreamEvent.TextDelta) {
                            deltas.incrementAndGet();
                        }
                    },
                    new Cancellation());
            ttft[0] = a.ttftMillis();
            return deltas.get() >= 2 ? "ok" : "missing (the answer came in one piece)";
        }));
        emit.accept(new Line("streaming", results.get("streaming")));
        emit.accept(new Line("ttft", ttft[0] == null ? "n/a" : ttft[0] + " ms"));

        results.put("tools", attempt(() -> {
            ArrayNode tools = json.createArrayNode();
            ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
            fn.put("name", "get_time").put("description", "Returns the current time in a time zone");
            fn.putObject("parameters")
                    .put("type", "object")
                    .putObject("properties")
                    .putObject("zone")
                    .put("type", "string");
            ModelClient.Attempt a = client.chat(
                    spec(base, proto, chosen, EnumSet.of(Capability.TOOLS)),
                    secret,
                    request("What time is it in UTC? Use the get_time tool.", tools, false),
                    e -> {},
                    new Cancellation());
            if (!a.toolCalls().isEmpty()) {
                return "ok";
            }
            boolean textual = !new TextToolCallParser(json)
                    .parse(a.content(), Set.of("get_time"))
                    .calls()
                    .isEmpty();
            return textual
                    ? "missing (the model wrote the call as text; the gateway's text parser will handle it)"
                    : "missing";
        }));
        emit.accept(new Line("tools", results.get("tools")));

        results.put("jsonMode", attempt(() -> {
            ModelClient.Attempt a = client.chat(
                    plain,
                    secret,
                    request("Answer with a JSON object whose key \"ok\" is true.", null, true),
                    e -> {},
                    new Cancellation());
            try {
                JsonNode node = json.readTree(a.content());
                return node != null && node.isObject() ? "ok" : "missing (the answer is not a JSON object)";
            } catch (IOException e) {
                return "missing (the answer is not JSON)";
            }
        }));
        emit.accept(new Line("json-mode", results.get("jsonMode")));

        boolean ok =
                results.get("completion").equals("ok") && !results.get("models").startsWith("error");
        return new Report(chosen, results, ttft[0], ok, List.copyOf(lines));
    }

    private interface Probe {
        String run() throws UpstreamException;
    }

    private static String attempt(Probe probe) {
        try {
            return probe.run();
        } catch (UpstreamException e) {
            if (e.kind() == UpstreamException.Kind.CLIENT_ERROR) {
                return "missing (" + e.getMessage() + ")";
            }
            return "error: " + e.getMessage();
        }
    }

    private ChatRequest request(String prompt, @Nullable ArrayNode tools, boolean jsonMode) {
        ArrayNode messages = json.createArrayNode();
        messages.addObject().put("role", "user").put("content", prompt);
        return new ChatRequest(messages, tools, null, jsonMode, 64, 0.0, false);
    }

    private EndpointSpec spec(URI base, Protocol proto, String modelId, Set<Capability> caps) {
        return new EndpointSpec(
                "probe",
                base,
                proto,
                modelId,
                "Authorization",
                null,
                8192,
                caps,
                1,
                Duration.ofSeconds(5),
                timeout,
                timeout,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                Classification.SECRET,
                null);
    }
}
