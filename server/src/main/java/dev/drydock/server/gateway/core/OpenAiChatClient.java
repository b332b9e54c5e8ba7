package dev.drydock.server.gateway.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code openai-chat} protocol: {@code POST {base}/chat/completions}, streamed as server-sent
 * events when the endpoint can stream (so that time to first token is measured and cancelling closes
 * the connection), and {@code GET {base}/models}.
 */
public final class OpenAiChatClient implements ModelClient {
    private final UpstreamHttp http;
    private final ObjectMapper json;

    public OpenAiChatClient(UpstreamHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /** The request body this client sends (also hashed for the audit trail). */
    public ObjectNode body(EndpointSpec endpoint, ChatRequest request, boolean stream) {
        ObjectNode body = json.createObjectNode();
        body.put("model", endpoint.modelId());
        if (request.encodedMessages() != null) {
            body.putRawValue("messages", new RawValue(request.encodedMessages()));
        } else {
            body.set("messages", request.messages());
        }
        if (request.hasTools()) {
            body.set("tools", request.tools());
            if (request.toolChoice() != null) {
                body.set("tool_choice", request.toolChoice());
            }
        }
        if (request.jsonMode()) {
            body.putObject("response_format").put("type", "json_object");
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    @Override
    public Attempt chat(
            EndpointSpec endpoint,
            @Nullable String secret,
            ChatRequest request,
            Consumer<StreamEvent> sink,
            Cancellation cancel)
            throws UpstreamException {
        boolean stream = endpoint.supports(Capability.STREAMING);
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(body(endpoint, request, stream));
        } catch (JsonProcessingException e) {
            throw new UpstreamException(
                    UpstreamException.Kind.CLIENT_ERROR, "cannot serialise the request: " + e.getOriginalMessage());
        }
        long start = System.nanoTime();
        java.time.Duration headersTimeout =
                stream ? min(endpoint.idleTimeout(), endpoint.requestTimeout()) : endpoint.requestTimeout();
        HttpRequest req = UpstreamHttp.request(endpoint, "/chat/completions", secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        HttpResponse<InputStream> response = http.open(endpoint, req, cancel, headersTimeout);
        String type = UpstreamHttp.mediaType(response);
        try (UpstreamHttp.Lines lines = http.lines(endpoint, response, cancel)) {
            if (type.equals("text/event-stream")) {
                return readStream(endpoint, lines, sink, start);
            }
            if (type.equals("application/json") || type.endsWith("+json")) {
                return readWhole(endpoint, lines.rest(), sink, start);
            }
            throw new UpstreamException(
                    UpstreamException.Kind.BAD_RESPONSE,
                    endpoint.name() + " answered '" + (type.isEmpty() ? "no content type" : type)
                            + "' instead of JSON or an event stream (is the base URL the API root, e.g. …/v1?)");
        }
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private Attempt readWhole(EndpointSpec endpoint, String text, Consumer<StreamEvent> sink, long start)
            throws UpstreamException {
        JsonNode root = parse(endpoint, text);
        if (root.has("error")) {
            throw new UpstreamException(
                    UpstreamException.Kind.SERVER_ERROR, endpoint.name() + " answered an error: " + errorText(root));
        }
        JsonNode choice = root.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new UpstreamException(
                    UpstreamException.Kind.BAD_RESPONSE, endpoint.name() + " answered JSON without choices");
        }
        JsonNode message = choice.path("message");
        String content = message.path("content").asText("");
        List<ToolCall> calls = new ArrayList<>();
        int index = 0;
        for (JsonNode tc : message.path("tool_calls")) {
            ToolCall call = new ToolCall(
                    tc.path("id").asText("call_" + index),
                    tc.path("function").path("name").asText(""),
                    arguments(tc.path("function").path("arguments")));
            calls.add(call);
            sink.accept(new StreamEvent.ToolCallDelta(index++, call.id(), call.name(), call.arguments()));
        }
        long ttft = (System.nanoTime() - start) / 1_000_000;
        if (!content.isEmpty()) {
            sink.accept(new StreamEvent.TextDelta(content));
        }
        return new Attempt(
                content,
                calls,
                choice.path("finish_reason").asText(calls.isEmpty() ? "stop" : "tool_calls"),
                usage(root.path("usage")),
                ttft);
    }

    private Attempt readStream(EndpointSpec endpoint, UpstreamHttp.Lines lines, Consumer<StreamEvent> sink, long start)
            throws UpstreamException {
        StreamedAnswer answer = new StreamedAnswer(sink, start);
        Map<Integer, String[]> calls = new TreeMap<>();
        Map<Integer, StringBuilder> args = new TreeMap<>();
        String[] finish = {null};
        Usage[] usage = {null};
        boolean done = answer.readAll(lines, line -> {
            if (!line.startsWith("data:")) {
                return false;
            }
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
                return true;
            }
            OpenAiChunk chunk = chunk(endpoint, data);
            if (chunk.error() != null) {
                throw new UpstreamException(
                        UpstreamException.Kind.SERVER_ERROR,
                        endpoint.name() + " sent an error mid-stream: " + errorText(chunk.error()));
            }
            if (chunk.usage() != null) {
                usage[0] = usage(chunk.usage());
            }
            if (!chunk.hasChoice()) {
                return false;
            }
            answer.text(chunk.content() == null ? "" : chunk.content());
            for (JsonNode tc : chunk.toolCalls() == null ? MissingNode.getInstance() : chunk.toolCalls()) {
                int index = tc.path("index").asInt(calls.size());
                String[] head = calls.computeIfAbsent(index, i -> new String[2]);
                String id = tc.hasNonNull("id") ? tc.get("id").asText() : null;
                String name = tc.path("function").hasNonNull("name")
                        ? tc.path("function").get("name").asText()
                        : null;
                if (id != null) {
                    head[0] = id;
                }
                if (name != null) {
                    head[1] = (head[1] == null ? "" : head[1]) + name;
                }
                String fragment = tc.path("function").path("arguments").isTextual()
                        ? tc.path("function").path("arguments").asText()
                        : "";
                args.computeIfAbsent(index, i -> new StringBuilder()).append(fragment);
                answer.firstToken();
                answer.deliver(new StreamEvent.ToolCallDelta(index, id, name, fragment));
            }
            if (chunk.finishReason() != null) {
                finish[0] = chunk.finishReason();
            }
            return false;
        });
        if (!done && finish[0] == null) {
            throw answer.truncated(endpoint.name() + " ended the event stream before it finished (truncated SSE)");
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        for (Map.Entry<Integer, String[]> e : calls.entrySet()) {
            String[] head = e.getValue();
            toolCalls.add(new ToolCall(
                    head[0] == null ? "call_" + e.getKey() : head[0],
                    head[1] == null ? "" : head[1],
                    Objects.requireNonNull(args.get(e.getKey())).toString()));
        }
        return answer.attempt(toolCalls, finish[0] == null ? "stop" : finish[0], usage[0]);
    }

    private OpenAiChunk chunk(EndpointSpec endpoint, String text) throws UpstreamException {
        try {
            return OpenAiChunk.read(json, text);
        } catch (OpenAiChunk.NotAnObject e) {
            throw notAnObject(endpoint);
        } catch (IOException e) {
            throw malformed(endpoint, text, e);
        }
    }

    private JsonNode parse(EndpointSpec endpoint, String text) throws UpstreamException {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw notAnObject(endpoint);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(endpoint, text, e);
        }
    }

    private static UpstreamException notAnObject(EndpointSpec endpoint) {
        return new UpstreamException(
                UpstreamException.Kind.BAD_RESPONSE, endpoint.name() + " answered JSON that is not an object");
    }

    private static UpstreamException malformed(EndpointSpec endpoint, String text, IOException e) {
        String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        return new UpstreamException(
                UpstreamException.Kind.BAD_RESPONSE,
                endpoint.name() + " answered malformed JSON"
                        + (text.strip().startsWith("<") ? " (an HTML page)" : ": " + detail));
    }

    private static String arguments(JsonNode node) {
        return node.isTextual() ? node.asText() : node.isMissingNode() || node.isNull() ? "{}" : node.toString();
    }

    private static String errorText(JsonNode root) {
        JsonNode error = root.get("error");
        String message =
                error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    static @Nullable Usage usage(JsonNode node) {
        if (node == null || !node.has("prompt_tokens")) {
            return null;
        }
        return new Usage(
                node.path("prompt_tokens").asLong(),
                node.path("completion_tokens").asLong(),
                TokenSource.USAGE);
    }

    @Override
    public List<String> listModels(EndpointSpec endpoint, @Nullable String secret) throws UpstreamException {
        HttpRequest req =
                UpstreamHttp.request(endpoint, "/models", secret).GET().build();
        HttpResponse<InputStream> response = http.open(endpoint, req, new Cancellation(), endpoint.requestTimeout());
        try (UpstreamHttp.Lines lines = http.lines(endpoint, response, new Cancellation())) {
            JsonNode root = parse(endpoint, lines.rest());
            List<String> ids = new ArrayList<>();
            for (JsonNode m : root.path("data")) {
                ids.add(m.path("id").asText());
            }
            return ids;
        }
    }
}
