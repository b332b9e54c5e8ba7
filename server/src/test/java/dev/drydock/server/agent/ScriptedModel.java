package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.model.ModelUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A fake model that answers from a script, one step per call, and records what it was asked. */
public final class ScriptedModel implements LlmModel {
    private final List<Function<ModelRequest, ModelReply>> steps;
    private final List<ModelRequest> requests = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    @SafeVarargs
    public ScriptedModel(Function<ModelRequest, ModelReply>... steps) {
        this.steps = List.of(steps);
    }

    public ScriptedModel(List<Function<ModelRequest, ModelReply>> steps) {
        this.steps = List.copyOf(steps);
    }

    @Override
    public synchronized ModelReply complete(ModelRequest request) {
        requests.add(request);
        int k = next.getAndIncrement();
        if (k >= steps.size()) {
            throw new AssertionError("the script has only " + steps.size() + " steps; asked for step " + (k + 1));
        }
        return steps.get(k).apply(request);
    }

    public synchronized List<ModelRequest> requests() {
        return List.copyOf(requests);
    }

    /** A step that calls one tool. */
    public static Function<ModelRequest, ModelReply> call(String tool, String argumentsJson) {
        return calls("", new ToolCall("", tool, argumentsJson));
    }

    /** A step with a thought and several tool calls. */
    public static Function<ModelRequest, ModelReply> calls(String text, ToolCall... calls) {
        return r -> new ModelReply(text, List.of(calls), new ModelReply.Usage("scripted", 100, 20, 30));
    }

    /** A step with text only (no tool call). */
    public static Function<ModelRequest, ModelReply> say(String text) {
        return r -> new ModelReply(text, List.of(), new ModelReply.Usage("scripted", 100, 20, 30));
    }

    /** A step where the endpoint is down. */
    public static Function<ModelRequest, ModelReply> down() {
        return r -> {
            throw new ModelUnavailableException("connection refused");
        };
    }

    /** JSON text of alternating keys and values (strings, numbers, booleans). */
    public static String args(Object... kv) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof Integer n ? new java.math.BigDecimal(n) : v);
        }
        return dev.drydock.server.agent.tool.Json.write(m);
    }
}
