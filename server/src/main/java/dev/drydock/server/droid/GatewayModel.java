package dev.drydock.server.droid;

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
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.ChatResult;
import dev.drydock.server.gateway.core.GatewayException;
import dev.drydock.server.gateway.toolcall.MalformedToolCall;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The droid loop's model through the in-process model gateway: routing by (workspace, droid,
 * purpose), classification clearance, budgets, fallback between endpoints, accounting and audit all
 * happen there. Gateway refusals and outages are {@link ModelUnavailableException}s; tool calls the
 * model wrote as malformed text come back as calls with their raw arguments, so the loop shows the
 * model a format error.
 */
public final class GatewayModel implements LlmModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GatewayService gateway;
    private final CallContext context;

    public GatewayModel(GatewayService gateway, CallContext context) {
        this.gateway = gateway;
        this.context = context;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        ChatResult r;
        try {
            r = gateway.chat(context, new ChatRequest(messages(request), tools(request), null, false, null, null, false), e -> {}, new Cancellation());
        } catch (GatewayException e) {
            throw new ModelUnavailableException("gateway: " + e.outcome().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage() + " (request " + e.requestId() + ")", e);
        } catch (RuntimeException e) {
            throw new ModelUnavailableException("gateway failed: " + e.getMessage(), e);
        }
        List<ToolCall> calls = new ArrayList<>();
        r.toolCalls().forEach(c -> calls.add(new ToolCall(c.id(), c.name(), c.arguments())));
        for (MalformedToolCall m : r.toolCallErrors()) {
            calls.add(new ToolCall("", "malformed_tool_call", m.raw()));
        }
        return new ModelReply(r.content(), calls, new ModelReply.Usage(r.model(), r.usage().promptTokens(), r.usage().completionTokens(), cost(r)));
    }

    private long cost(ChatResult r) {
        return gateway.resolve(context).stream().filter(e -> e.name().equals(r.endpoint())).findFirst()
                .map(e -> e.costPer1kPromptTokens().multiply(BigDecimal.valueOf(r.usage().promptTokens()))
                        .add(e.costPer1kCompletionTokens().multiply(BigDecimal.valueOf(r.usage().completionTokens())))
                        .multiply(BigDecimal.valueOf(1000)).longValue())
                .orElse(0L);
    }

    static ArrayNode messages(ModelRequest request) {
        ArrayNode messages = JSON.createArrayNode();
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
        return messages;
    }

    static ArrayNode tools(ModelRequest request) {
        ArrayNode tools = JSON.createArrayNode();
        for (ToolSpec t : request.tools()) {
            ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
            fn.put("name", t.name()).put("description", t.description());
            try {
                fn.set("parameters", JSON.readTree(t.parametersSchema()));
            } catch (IOException e) {
                throw new IllegalStateException("tool " + t.name() + " has an invalid schema", e);
            }
        }
        return tools;
    }
}
