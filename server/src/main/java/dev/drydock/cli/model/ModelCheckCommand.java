package dev.drydock.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.core.ModelClient;
import dev.drydock.server.gateway.core.ModelProbe;
import dev.drydock.server.gateway.core.OllamaClient;
import dev.drydock.server.gateway.core.OpenAiChatClient;
import dev.drydock.server.gateway.core.Protocol;
import dev.drydock.server.gateway.core.UpstreamHttp;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock model check URL}: probes an endpoint the way the gateway will use it (same
 * protocol clients, same egress guard, same {@link ModelProbe} as the portal's "Test" button) and
 * prints one line per capability, then a JSON summary.
 */
@Command(
        name = "check",
        description =
                "Probe a model endpoint: models, completion, streaming, tool calling, JSON mode, time to first token.")
public final class ModelCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "URL",
            description = "API root of the endpoint, e.g. http://vllm.internal:8000/v1 (Ollama: http://host:11434)")
    String url = "";

    @Option(
            names = "--model",
            paramLabel = "ID",
            description = "Model id to use (default: the first one the server lists)")
    @Nullable
    String model;

    @Option(
            names = "--api-key-env",
            paramLabel = "VAR",
            description = "Environment variable holding the endpoint's API key")
    @Nullable
    String apiKeyEnv;

    @Option(
            names = "--allow",
            paramLabel = "HOST",
            description = "Allow this host although it is not in drydock.egress.allowed-hosts (repeatable)")
    List<String> allow = new ArrayList<>();

    @Option(names = "--protocol", defaultValue = "openai-chat", description = "openai-chat (default) or ollama")
    String protocol = "openai-chat";

    @Option(
            names = "--timeout",
            defaultValue = "60",
            paramLabel = "SECONDS",
            description = "Timeout per probe (default 60)")
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
        Protocol proto = Protocol.parse(protocol)
                .orElseThrow(() -> new CliException("--protocol must be openai-chat or ollama", CliExit.USAGE));
        EgressGuard egress = new EgressGuard(EgressAllowList.hosts(allow), r -> {}, Clock.systemUTC());
        if (!egress.isAllowed(base.getHost())) {
            throw new CliException(
                    "host '" + base.getHost()
                            + "' is not in the egress allow-list (drydock.egress.allowed-hosts / DRYDOCK_EGRESS_ALLOWED_HOSTS); pass --allow "
                            + base.getHost() + " to probe it anyway",
                    CliExit.UNAVAILABLE);
        }
        String secret = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
        if (apiKeyEnv != null) {
            if (secret == null || secret.isBlank()) {
                throw new CliException(
                        "environment variable " + apiKeyEnv + " (--api-key-env) is not set", CliExit.USAGE);
            }
        }
        try (egress) {
            UpstreamHttp http = new UpstreamHttp(egress, 16L << 20);
            ModelClient client =
                    proto == Protocol.OLLAMA ? new OllamaClient(http, json) : new OpenAiChatClient(http, json);
            ModelProbe.Report report = new ModelProbe(client, json, Duration.ofSeconds(timeoutSeconds))
                    .run(base, proto, model, secret, l -> line(out, l.name(), l.value()));
            if (report.model() == null) {
                throw new CliException("the server lists no model; name one with --model", CliExit.FAILED);
            }
            ObjectNode summary = json.createObjectNode()
                    .put("url", url)
                    .put("protocol", proto.label())
                    .put("model", report.model());
            report.results().forEach(summary::put);
            if (report.ttftMillis() == null) {
                summary.putNull("ttftMs");
            } else {
                summary.put("ttftMs", report.ttftMillis());
            }
            summary.put("ok", report.ok());
            out.println(summary);
            out.flush();
            return report.ok() ? CliExit.OK : CliExit.FAILED;
        }
    }

    private static void line(PrintWriter out, String name, String value) {
        out.printf("%-11s %s%n", name, value);
        out.flush();
    }
}
