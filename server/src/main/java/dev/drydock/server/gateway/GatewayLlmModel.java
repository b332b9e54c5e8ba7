package dev.drydock.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.Message;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.model.ModelUnavailableException;
import dev.drydock.server.agent.tool.ToolSpec;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.ChatResult;
import dev.drydock.server.gateway.core.GatewayException;
import dev.drydock.server.gateway.core.ToolCall;
import dev.drydock.server.gateway.toolcall.MalformedToolCall;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The agent loop's {@link LlmModel} served by the gateway in-process (no HTTP hop): the request's
 * route is the gateway purpose; the session context (user, workspace, session, droid) is fixed per
 * instance, the classification is read at each call (it rises as the session reads labelled content). Malformed text tool calls come back as a call to the pseudo
 * tool {@code invalid_tool_call} whose arguments carry the message for the model.
 */
public final class GatewayLlmModel implements LlmModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Completer gateway;
    private final CallContext context;
    private final Supplier<Classification> classification;

    /** One gateway completion: {@code GatewayService::complete}, or a plain {@code Gateway} in tests. */
    @FunctionalInterface
    public interface Completer {
        ChatResult complete(CallContext context, ChatRequest request) throws GatewayException;
    }

    /** Build with {@code new GatewayLlmModel(gatewayService::complete, context)}. */
    public GatewayLlmModel(Completer gateway, CallContext context) {
        this(gateway, context, context::classification);
    }

    /** A model whose requests carry the classification {@code classification} gives at the time of each call. */
    public GatewayLlmModel(Completer gateway, CallContext context, Supplier<Classification> classification) {
        this.gateway = gateway;
        this.context = context;
        this.classification = classification;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        CallContext ctx = new CallContext(
                context.userSubject(),
                context.username(),
                context.workspace(),
                context.sessionId(),
                context.droid(),
                request.route(),
                context.model(),
                classification.get(),
                "agent");
        ChatResult result;
        try {
            result = gateway.complete(ctx, chatRequest(request));
        } catch (GatewayException e) {
            throw new ModelUnavailableException(e.outcome().label() + ": " + e.getMessage(), e);
        }
        List<Conversation.ToolCall> calls = new ArrayList<>();
        for (ToolCall c : result.toolCalls()) {
            calls.add(new Conversation.ToolCall(c.id(), c.name(), c.arguments()));
        }
        int i = 0;
        for (MalformedToolCall m : result.toolCallErrors()) {
            ObjectNode args = JSON.createObjectNode().put("error", m.message()).put("raw", m.raw());
            calls.add(new Conversation.ToolCall("invalid_" + i++, "invalid_tool_call", args.toString()));
        }
        long costMicros = result.cost().multiply(BigDecimal.valueOf(1_000_000)).longValue();
        return new ModelReply(
                result.content(),
                calls,
                new ModelReply.Usage(
                        result.model(),
                        result.usage().promptTokens(),
                        result.usage().completionTokens(),
                        costMicros));
    }

    /**
     * The bytes the gateway fingerprints and sends for these messages when no DLP finding redacts them:
     * the messages as this adapter builds them, serialised as {@code Gateway} serialises them.
     */
    public static byte[] promptBytes(List<Message> messages) {
        try {
            return JSON.writeValueAsBytes(
                    chatRequest(new ModelRequest("", messages, List.of())).messages());
        } catch (IOException e) {
            throw new IllegalStateException("messages cannot be serialised", e);
        }
    }

    static ChatRequest chatRequest(ModelRequest request) {
        ArrayNode messages = JSON.createArrayNode();
        for (Message m : request.messages()) {
            ObjectNode n = messages.addObject();
            n.put("role", m.role().name().toLowerCase(Locale.ROOT));
            n.put("content", m.content());
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = n.putArray("tool_calls");
                for (Conversation.ToolCall c : m.toolCalls()) {
                    ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                    call.putObject("function").put("name", c.tool()).put("arguments", c.arguments());
                }
            }
            if (!m.toolCallId().isEmpty()) {
                n.put("tool_call_id", m.toolCallId());
            }
        }
        ArrayNode tools = null;
        if (!request.tools().isEmpty()) {
            tools = JSON.createArrayNode();
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
        return new ChatRequest(messages, tools, null, false, null, null, false);
    }
}
