package dev.drydock.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusal;
import dev.drydock.server.gateway.core.BudgetCheck;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.EndpointCatalog;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.EndpointTokenizers;
import dev.drydock.server.gateway.core.Gateway;
import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.GatewaySettings;
import dev.drydock.server.gateway.core.OllamaClient;
import dev.drydock.server.gateway.core.OpenAiChatClient;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.RouteSpec;
import dev.drydock.server.gateway.core.SecretResolver;
import dev.drydock.server.gateway.core.UpstreamHttp;
import dev.drydock.server.gateway.dlp.DlpPolicy;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds gateways over scripted servers for the plain-Java tests. */
final class TestGateways {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestGateways() {}

    static EndpointSpec endpoint(String name, String baseUrl) {
        return new EndpointSpec(
                name,
                URI.create(baseUrl),
                Protocol.OPENAI_CHAT,
                "scripted-model",
                "Authorization",
                null,
                8192,
                EnumSet.of(Capability.STREAMING, Capability.TOOLS, Capability.JSON_MODE),
                4,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                new BigDecimal("0.5"),
                new BigDecimal("1.5"),
                Classification.CONFIDENTIAL,
                null);
    }

    static EndpointSpec with(
            EndpointSpec e,
            int maxConcurrency,
            Duration idle,
            Classification clearance,
            java.util.Set<Capability> caps,
            String secretRef) {
        return new EndpointSpec(
                e.name(),
                e.baseUrl(),
                e.protocol(),
                e.modelId(),
                e.authHeader(),
                secretRef,
                e.contextWindow(),
                caps,
                maxConcurrency,
                e.connectTimeout(),
                e.requestTimeout(),
                idle,
                e.costPer1kPromptTokens(),
                e.costPer1kCompletionTokens(),
                clearance,
                e.tokenizer());
    }

    /** The endpoint with a tokenizer file. */
    static EndpointSpec withTokenizer(EndpointSpec e, String tokenizer) {
        return new EndpointSpec(
                e.name(),
                e.baseUrl(),
                e.protocol(),
                e.modelId(),
                e.authHeader(),
                e.secretRef(),
                e.contextWindow(),
                e.capabilities(),
                e.maxConcurrency(),
                e.connectTimeout(),
                e.requestTimeout(),
                e.idleTimeout(),
                e.costPer1kPromptTokens(),
                e.costPer1kCompletionTokens(),
                e.clearance(),
                tokenizer);
    }

    /** A gateway and what it recorded. */
    record Fixture(Gateway gateway, List<GatewayRecord> records, List<EgressRefusal> refusals, EgressGuard egress) {}

    static Fixture gateway(
            List<EndpointSpec> endpoints,
            Clock clock,
            DlpPolicy dlp,
            BudgetCheck budgets,
            long maxBytes,
            SecretResolver secrets) {
        return gateway(endpoints, clock, dlp, budgets, maxBytes, secrets, EndpointTokenizers.NONE);
    }

    static Fixture gateway(
            List<EndpointSpec> endpoints,
            Clock clock,
            DlpPolicy dlp,
            BudgetCheck budgets,
            long maxBytes,
            SecretResolver secrets,
            EndpointTokenizers tokenizers) {
        List<GatewayRecord> records = new CopyOnWriteArrayList<>();
        List<EgressRefusal> refusals = new CopyOnWriteArrayList<>();
        EgressGuard egress = new EgressGuard(List.of("127.0.0.1"), refusals::add, clock);
        UpstreamHttp http = new UpstreamHttp(egress, maxBytes);
        GatewaySettings settings = new GatewaySettings(
                2, Duration.ofMillis(1), Duration.ofMillis(5), 3, Duration.ofSeconds(30), Duration.ofMillis(300));
        RouteSpec route = new RouteSpec(
                "default",
                "*",
                "*",
                "*",
                endpoints.stream().map(EndpointSpec::name).toList());
        Gateway gateway = new Gateway(
                EndpointCatalog.of(endpoints, List.of(route)),
                Map.of(
                        Protocol.OPENAI_CHAT,
                        new OpenAiChatClient(http, JSON),
                        Protocol.OLLAMA,
                        new OllamaClient(http, JSON)),
                settings,
                clock,
                records::add,
                budgets,
                dlp,
                secrets,
                JSON,
                tokenizers);
        return new Fixture(gateway, records, refusals, egress);
    }

    static Fixture gateway(List<EndpointSpec> endpoints) {
        return gateway(endpoints, Clock.systemUTC(), DlpPolicy.REDACT, BudgetCheck.NONE, 1 << 20, SecretResolver.NONE);
    }

    static ChatRequest userSays(String text) {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "user").put("content", text);
        return new ChatRequest(messages, null, null, false, null, null, true);
    }

    static ChatRequest withTool(String text, String toolName) {
        ChatRequest base = userSays(text);
        ArrayNode tools = JSON.createArrayNode();
        var fn = tools.addObject().put("type", "function").putObject("function");
        fn.put("name", toolName).put("description", "test tool");
        fn.putObject("parameters").put("type", "object");
        return new ChatRequest(base.messages(), tools, null, false, null, null, true);
    }
}
