package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Ollama's native protocol: {@code POST {base}/api/chat} answered as newline-delimited JSON, and
 * {@code GET {base}/api/tags}. Tool-call arguments are objects there; they are converted to and from
 * OpenAI's JSON-text form.
 */
public final class OllamaClient implements ModelClient {
    private final UpstreamHttp http;
    private final ObjectMapper json;

    public OllamaClient(UpstreamHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public Attempt chat(
            EndpointSpec endpoint,
            @Nullable String secret,
            ChatRequest request,
            Consumer<StreamEvent> sink,
            Cancellation cancel)
            throws UpstreamException {
        ObjectNode body = json.createObjectNode();
        body.put("model", endpoint.modelId());
        body.set("messages", messages(request.messages()));
        body.put("stream", true);
        if (request.hasTools()) {
            body.set("tools", request.tools());
        }
        if (request.jsonMode()) {
            body.put("format", "json");
        }
        ObjectNode options = body.putObject("options");
        if (request.maxTokens() != null) {
            options.put("num_predict", request.maxTokens());
        }
        if (request.temperature() != null) {
            options.put("temperature", request.temperature());
        }
        long start = System.nanoTime();
        HttpRequest req;
        try {
            req = UpstreamHttp.request(endpoint, "/api/chat", secret)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new UpstreamException(
                    UpstreamException.Kind.CLIENT_ERROR, "cannot serialise the request: " + e.getOriginalMessage());
        }
        HttpResponse<InputStream> response = http.open(endpoint, req, cancel, endpoint.idleTimeout());
        StreamedAnswer answer = new StreamedAnswer(sink, start);
        List<ToolCall> calls = new ArrayList<>();
        JsonNode[] last = {null};
        try (UpstreamHttp.Lines lines = http.lines(endpoint, response, cancel)) {
            boolean done = answer.readAll(lines, line -> {
                if (line.isBlank()) {
                    return false;
                }
                JsonNode chunk = parse(endpoint, line);
                if (chunk.has("error")) {
                    throw new UpstreamException(
                            UpstreamException.Kind.SERVER_ERROR,
                            endpoint.name() + " answered an error: "
                                    + chunk.get("error").asText());
                }
                answer.text(chunk.path("message").path("content").asText(""));
                for (JsonNode tc : chunk.path("message").path("tool_calls")) {
                    JsonNode fn = tc.path("function");
                    ToolCall call = new ToolCall(
                            "call_" + calls.size(),
                            fn.path("name").asText(""),
                            fn.path("arguments").isTextual()
                                    ? fn.path("arguments").asText()
                                    : fn.path("arguments").toString());
                    answer.deliver(
                            new StreamEvent.ToolCallDelta(calls.size(), call.id(), call.name(), call.arguments()));
                    calls.add(call);
                }
                last[0] = chunk;
                return chunk.path("done").asBoolean(false);
            });
            if (!done) {
                throw answer.truncated(endpoint.name() + " ended the answer before done=true");
            }
        }
        JsonNode chunk = last[0];
        Usage usage = chunk.has("prompt_eval_count") || chunk.has("eval_count")
                ? new Usage(
                        chunk.path("prompt_eval_count").asLong(),
                        chunk.path("eval_count").asLong(),
                        TokenSource.USAGE)
                : null;
        String reason = calls.isEmpty() ? chunk.path("done_reason").asText("stop") : "tool_calls";
        return answer.attempt(calls, reason, usage);
    }

    private ArrayNode messages(ArrayNode openAi) {
        ArrayNode out = json.createArrayNode();
        for (JsonNode m : openAi) {
            ObjectNode copy = m.deepCopy();
            if (copy.has("tool_calls")) {
                for (JsonNode tc : copy.get("tool_calls")) {
                    JsonNode fn = tc.path("function");
                    if (fn instanceof ObjectNode f && f.path("arguments").isTextual()) {
                        try {
                            f.set("arguments", json.readTree(f.get("arguments").asText()));
                        } catch (JsonProcessingException e) {
                            // leave arguments as text: the model wrote them that way
                        }
                    }
                }
            }
            out.add(copy);
        }
        return out;
    }

    private JsonNode parse(EndpointSpec endpoint, String text) throws UpstreamException {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new UpstreamException(
                        UpstreamException.Kind.BAD_RESPONSE,
                        endpoint.name() + " answered a line that is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UpstreamException(
                    UpstreamException.Kind.BAD_RESPONSE,
                    endpoint.name() + " answered malformed JSON"
                            + (text.strip().startsWith("<") ? " (an HTML page)" : ""));
        }
    }

    @Override
    public List<String> listModels(EndpointSpec endpoint, @Nullable String secret) throws UpstreamException {
        HttpRequest req =
                UpstreamHttp.request(endpoint, "/api/tags", secret).GET().build();
        HttpResponse<InputStream> response = http.open(endpoint, req, new Cancellation(), endpoint.requestTimeout());
        try (UpstreamHttp.Lines lines = http.lines(endpoint, response, new Cancellation())) {
            JsonNode root = parse(endpoint, lines.rest());
            List<String> ids = new ArrayList<>();
            for (JsonNode m : root.path("models")) {
                ids.add(m.path("name").asText());
            }
            return ids;
        }
    }
}
