package dev.drydock.server.droid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.Message;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.model.ModelUnavailableException;
import dev.drydock.server.agent.tool.ToolSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@link LlmModel} over an OpenAI-compatible {@code /chat/completions} endpoint (the model gateway,
 * or any local server). Transport failures and 5xx/429 answers are {@link ModelUnavailableException}s.
 */
public final class OpenAiCompatibleModel implements LlmModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final DroidConfig.Route route;

    public OpenAiCompatibleModel(HttpClient http, DroidConfig.Route route) {
        this.http = http;
        this.route = route;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        String body = body(request);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(route.baseUrl().replaceAll("/+$", "") + "/chat/completions"))
                .timeout(route.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        route.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ModelUnavailableException("model endpoint " + route.baseUrl() + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while waiting for the model", e);
        }
        if (response.statusCode() != 200) {
            String text = response.body();
            throw new ModelUnavailableException("model endpoint answered " + response.statusCode() + ": " + text.substring(0, Math.min(300, text.length())));
        }
        return parse(response.body());
    }

    String body(ModelRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", route.model());
        ArrayNode messages = root.putArray("messages");
        for (Message m : request.messages()) {
            ObjectNode n = messages.addObject();
            n.put("role", m.role().name().toLowerCase(Locale.ROOT));
            n.put("content", m.content());
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = n.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    ObjectNode call = calls.addObject();
                    call.put("id", c.id());
                    call.put("type", "function");
                    call.putObject("function").put("name", c.tool()).put("arguments", c.arguments());
                }
            }
            if (!m.toolCallId().isEmpty()) {
                n.put("tool_call_id", m.toolCallId());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name()).put("description", t.description());
                try {
                    fn.set("parameters", JSON.readTree(t.parametersSchema()));
                } catch (IOException e) {
                    throw new IllegalStateException("tool " + t.name() + " has an invalid schema", e);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ModelReply parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ModelUnavailableException("model endpoint sent invalid JSON: " + e.getMessage(), e);
        }
        JsonNode message = root.path("choices").path(0).path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            JsonNode fn = c.path("function");
            JsonNode args = fn.path("arguments");
            calls.add(new ToolCall(c.path("id").asText(""), fn.path("name").asText(""), args.isTextual() ? args.asText() : args.toString()));
        }
        JsonNode usage = root.path("usage");
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        long cost = (prompt * route.promptCostPerMillion() + completion * route.completionCostPerMillion()) / 1_000_000;
        return new ModelReply(message.path("content").asText(""), calls,
                new ModelReply.Usage(root.path("model").asText(route.model()), prompt, completion, cost));
    }

    /** A client for model calls (HTTP/1.1, so plain local servers work). */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
