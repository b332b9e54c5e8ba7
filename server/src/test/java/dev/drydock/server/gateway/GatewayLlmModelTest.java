package dev.drydock.server.gateway;

import static dev.drydock.server.gateway.TestGateways.endpoint;
import static dev.drydock.server.gateway.TestGateways.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.model.Message;
import dev.drydock.server.agent.model.ModelReply;
import dev.drydock.server.agent.model.ModelRequest;
import dev.drydock.server.agent.tool.ToolSpec;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayLlmModelTest {
    private final ScriptedModelServer server = new ScriptedModelServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldServeAgentLoopThroughGatewayWithToolCallsAndCost() {
        // Given
        var f = gateway(List.of(endpoint("a", server.baseUrl())));
        server.then(new ScriptedModelServer.ToolCallStream("read_file", "{\"path\":\"x\"}"));
        CallContext session =
                CallContext.of("mike", "demo", "edit", Classification.INTERNAL).withSession("s-9");
        GatewayLlmModel model =
                new GatewayLlmModel((c, r) -> f.gateway().chat(c, r, e -> {}, new Cancellation()), session);
        ToolSpec tool = new ToolSpec(
                "read_file",
                "read a file",
                "{\"type\":\"object\"}",
                dev.drydock.server.agent.event.Action.Risk.values()[0]);

        // When
        ModelReply reply = model.complete(
                new ModelRequest("edit", List.of(Message.system("be brief"), Message.user("read x")), List.of(tool)));

        // Then
        assertThat(reply.calls()).singleElement().satisfies(c -> {
            assertThat(c.tool()).isEqualTo("read_file");
            assertThat(c.arguments()).isEqualTo("{\"path\":\"x\"}");
        });
        assertThat(reply.usage().promptTokens()).isEqualTo(20);
        assertThat(reply.usage().costMicros()).isEqualTo(23500);
        assertThat(f.records().getFirst().sessionId()).isEqualTo("s-9");
        assertThat(f.records().getFirst().channel()).isEqualTo("agent");
        assertThat(server.requests().getFirst()).contains("\"tools\"").contains("\"role\":\"system\"");
    }
}
