package dev.drydock.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.ModelClient;
import dev.drydock.server.gateway.core.OllamaClient;
import dev.drydock.server.gateway.core.OpenAiChatClient;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.StreamEvent;
import dev.drydock.server.gateway.core.UpstreamException;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.toolcall.TextToolCallParser;
import dev.drydock.server.gateway.core.UpstreamHttp;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./drydock model check URL}: probes an endpoint the way the gateway will use it (same
 * protocol clients, same egress guard) and prints one line per capability, then a JSON summary.
 */
@Command(name = "check", description = "Probe a model endpoint: models, completion, streaming, tool calling, JSON mode, time to first token.")
public final class ModelCheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "API root of the endpoint, e.g. http://vllm.internal:8000/v1 (Ollama: http://host:11434)")
    String url = "";

    @Option(names = "--model", paramLabel = "ID", description = "Model id to use (default: the first one the server lists)")
    @Nullable String model;

    @Option(names = "--api-key-env", paramLabel = "VAR", description = "Environment variable holding the endpoint's API key")
    @Nullable String apiKeyEnv;

    @Option(names = "--allow", paramLabel = "HOST", description = "Allow this host although it is not in drydock.egress.allowed-hosts (repeatable)")
    List<String> allow = new ArrayList<>();

    @Option(names = "--protocol", defaultValue = "openai-chat", description = "openai-chat (default) or ollama")
    String protocol = "openai-chat";

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Timeout per probe (default 60)")
    int timeoutSeconds = 60;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        URI base;
        try {
            base = new URI(url);
        } catch (URISyntaxException e) {
            throw new CliException("'" + url + "' is not a URL: " + e.getReason(), CliExit.USAGE);
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new CliException("'" + url + "' must be an absolute http(s) URL with a host", CliExit.USAGE);
        }
        Protocol proto = Protocol.parse(protocol).orElseThrow(() -> new CliException("--protocol must be openai-chat or ollama", CliExit.USAGE));
        EgressGuard egress = new EgressGuard(EgressAllowList.hosts(allow), r -> {}, Clock.systemUTC());
        if (!egress.isAllowed(base.getHost())) {
            throw new CliException("host '" + base.getHost() + "' is not in the egress allow-list (drydock.egress.allowed-hosts / DRYDOCK_EGRESS_ALLOWED_HOSTS); pass --allow "
                    + base.getHost() + " to probe it anyway", CliExit.UNAVAILABLE);
        }
        String secret = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
        if (apiKeyEnv != null) {
            if (secret == null || secret.isBlank()) {
                throw new CliException("environment variable " + apiKeyEnv + " (--api-key-env) is not set", CliExit.USAGE);
            }
        }
        try (egress) {
            UpstreamHttp http = new UpstreamHttp(egress, 16L << 20);
            ModelClient client = proto == Protocol.OLLAMA ? new OllamaClient(http, json) : new OpenAiChatClient(http, json);
            Map<String, String> results = new LinkedHashMap<>();
            Long ttft = null;

            EndpointSpec probe = spec("probe", base, proto, model == null ? "" : model, EnumSet.noneOf(Capability.class));
            String found = model;
            try {
                List<String> ids = client.listModels(probe, secret);
                if (found == null) {
                    found = ids.isEmpty() ? null : ids.getFirst();
                }
                String listed = String.join(", ", ids.size() > 5 ? ids.subList(0, 5) : ids) + (ids.size() > 5 ? ", …" : "");
                results.put("models", ids.isEmpty() ? "missing" : model != null && !ids.contains(model) ? "error: " + model + " is not listed (" + listed + ")" : "ok");
                line(out, "models", results.get("models") + (ids.isEmpty() ? "" : " (" + ids.size() + ": " + listed + ")"));
            } catch (UpstreamException e) {
                results.put("models", "error: " + e.getMessage());
                line(out, "models", results.get("models"));
            }
            if (found == null) {
                throw new CliException("the server lists no model; name one with --model", CliExit.FAILED);
            }
            final String chosen = found;
            EndpointSpec plain = spec("probe", base, proto, chosen, EnumSet.noneOf(Capability.class));
            EndpointSpec streaming = spec("probe", base, proto, chosen, EnumSet.of(Capability.STREAMING));

            results.put("completion", run(() -> {
                ModelClient.Attempt a = client.chat(plain, secret, request("Say hello in one word.", null, false), e -> {}, new Cancellation());
                return a.content().isBlank() && a.toolCalls().isEmpty() ? "error: empty answer" : "ok";
            }));
            line(out, "completion", results.get("completion"));

            AtomicInteger deltas = new AtomicInteger();
            Long[] ttftHolder = {null};
            results.put("streaming", run(() -> {
                ModelClient.Attempt a = client.chat(streaming, secret, request("Count from 1 to 10, separated by spaces.", null, false),
                        e -> {
                            if (e instanceof StreamEvent.TextDelta) {
                                deltas.incrementAndGet();
                            }
                        }, new Cancellation());
                ttftHolder[0] = a.ttftMillis();
                return deltas.get() >= 2 ? "ok" : "missing (the answer came in one piece)";
            }));
            ttft = ttftHolder[0];
            line(out, "streaming", results.get("streaming"));
            line(out, "ttft", ttft == null ? "n/a" : ttft + " ms");

            results.put("tools", run(() -> {
                ArrayNode tools = json.createArrayNode();
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", "get_time").put("description", "Returns the current time in a time zone");
                fn.putObject("parameters").put("type", "object").putObject("properties").putObject("zone").put("type", "string");
                ModelClient.Attempt a = client.chat(spec("probe", base, proto, chosen, EnumSet.of(Capability.TOOLS)), secret,
                        request("What time is it in UTC? Use the get_time tool.", tools, false), e -> {}, new Cancellation());
                if (!a.toolCalls().isEmpty()) {
                    return "ok";
                }
                boolean textual = !new TextToolCallParser(json).parse(a.content(), Set.of("get_time")).calls().isEmpty();
                return textual ? "missing (the model wrote the call as text; the gateway's text parser will handle it)" : "missing";
            }));
            line(out, "tools", results.get("tools"));

            results.put("jsonMode", run(() -> {
                ModelClient.Attempt a = client.chat(plain, secret, request("Answer with a JSON object whose key \"ok\" is true.", null, true), e -> {}, new Cancellation());
                try {
                    JsonNode node = json.readTree(a.content());
                    return node != null && node.isObject() ? "ok" : "missing (the answer is not a JSON object)";
                } catch (java.io.IOException e) {
                    return "missing (the answer is not JSON)";
                }
            }));
            line(out, "json-mode", results.get("jsonMode"));

            ObjectNode summary = json.createObjectNode().put("url", url).put("protocol", proto.label()).put("model", chosen);
            results.forEach(summary::put);
            if (ttft == null) {
                summary.putNull("ttftMs");
            } else {
                summary.put("ttftMs", ttft);
            }
            boolean ok = results.get("completion").equals("ok") && !results.get("models").startsWith("error");
            summary.put("ok", ok);
            out.println(summary);
            out.flush();
            return ok ? CliExit.OK : CliExit.FAILED;
        }
    }

    private interface Probe {
        String run() throws UpstreamException;
    }

    private static String run(Probe probe) {
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

    private static void line(PrintWriter out, String name, String value) {
        out.printf("%-11s %s%n", name, value);
        out.flush();
    }

    private EndpointSpec spec(String name, URI base, Protocol proto, String modelId, Set<Capability> caps) {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        return new EndpointSpec(name, base, proto, modelId, "Authorization", null, 8192, caps, 1, Duration.ofSeconds(5), timeout, timeout,
                BigDecimal.ZERO, BigDecimal.ZERO, Classification.SECRET, null);
    }
}
