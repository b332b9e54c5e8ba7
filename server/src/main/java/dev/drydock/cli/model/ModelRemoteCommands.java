package dev.drydock.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.RemoteServer;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock model add|list}: the gateway's model endpoints on the server signed in to (a
 * drydock-admin's), as the portal's Models page manages them; {@code add} also makes the endpoint the
 * default route when there is none, as the page's Save does.
 */
final class ModelRemoteCommands {
    private ModelRemoteCommands() {}

    @Command(
            name = "add",
            description =
                    "Store a model endpoint on the server (drydock-admin); the first one becomes the default route. Probe it first with 'model check'.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Parameters(index = "0", paramLabel = "NAME", description = "Endpoint name, e.g. primary")
        String name = "";

        @Option(
                names = "--base-url",
                required = true,
                description = "API root, e.g. http://vllm.internal:8000/v1 (Ollama: http://host:11434)")
        String baseUrl = "";

        @Option(
                names = "--protocol",
                defaultValue = "openai-chat",
                description = "openai-chat or ollama (default: ${DEFAULT-VALUE})")
        String protocol = "openai-chat";

        @Option(names = "--model-id", description = "Model id the server serves")
        @Nullable
        String modelId;

        @Option(names = "--secret-ref", description = "Reference of the API key secret (never the key itself)")
        @Nullable
        String secretRef;

        @Option(
                names = "--clearance",
                defaultValue = "internal",
                description = "Highest classification it may receive (default: ${DEFAULT-VALUE})")
        String clearance = "internal";

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("baseUrl", baseUrl);
            body.put("protocol", protocol);
            if (modelId != null) {
                body.put("modelId", modelId);
            }
            if (secretRef != null) {
                body.put("secretRef", secretRef);
            }
            body.put("clearance", clearance);
            JsonNode e =
                    remote.put("/api/admin/model-endpoints/" + URLEncoder.encode(name, StandardCharsets.UTF_8), body);
            PrintWriter out = spec.commandLine().getOut();
            out.println("saved model endpoint " + e.path("name").asText() + ": "
                    + e.path("baseUrl").asText() + " (" + e.path("protocol").asText() + ", "
                    + e.path("modelId").asText() + ", clearance "
                    + e.path("clearance").asText() + ")");
            JsonNode routes = remote.getJson("/api/admin/model-routes");
            if (routes.isEmpty()) {
                Map<String, Object> route = new LinkedHashMap<>();
                route.put("endpoints", java.util.List.of(name));
                // the first model of a fresh install: an explicit, audited bootstrap override of the promotion gate
                route.put("override", Map.of("reason", "first model, no gate yet"));
                remote.put("/api/admin/model-routes/default", route);
                out.println("default route: " + name + " (not gated yet: ./drydock model gate " + name + ")");
            }
            return CliExit.OK;
        }
    }

    @Command(
            name = "list",
            description = "List the server's model endpoints with their circuit-breaker state (drydock-admin).")
    static final class ListEndpoints implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Override
        public Integer call() {
            JsonNode list = RemoteServer.signedInOrCurrent(server).getJson("/api/admin/model-endpoints");
            PrintWriter out = spec.commandLine().getOut();
            if (list.isEmpty()) {
                out.println(
                        "no model endpoints yet: add one with './drydock model add NAME --base-url URL --model-id ID'");
                return CliExit.OK;
            }
            out.println(String.format(
                    "%-16s %-12s %-24s %-12s %-8s %s",
                    "NAME", "PROTOCOL", "MODEL", "CLEARANCE", "BREAKER", "BASE URL"));
            for (JsonNode e : list) {
                out.println(String.format(
                        "%-16s %-12s %-24s %-12s %-8s %s",
                        e.path("name").asText(),
                        e.path("protocol").asText(),
                        e.path("modelId").asText(),
                        e.path("clearance").asText(),
                        e.path("breaker").asText().toLowerCase(java.util.Locale.ROOT),
                        e.path("baseUrl").asText()));
            }
            return CliExit.OK;
        }
    }

    @Command(
            name = "gate",
            description =
                    "Run the model promotion gate of an endpoint (drydock-admin): the shipped task fixtures as code-droid sessions; "
                            + "prints progress and the report. Exit 1 when it fails.")
    static final class Gate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint name")
        String endpoint = "";

        @Option(names = "--wait", description = "Wait for the run to finish, printing progress, then the report")
        boolean await;

        @Option(
                names = "--interval",
                defaultValue = "3",
                description = "Seconds between progress checks with --wait (default: ${DEFAULT-VALUE})")
        int interval = 3;

        @Override
        public Integer call() throws InterruptedException {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            String path = "/api/admin/models/" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + "/gate";
            PrintWriter out = spec.commandLine().getOut();
            JsonNode run = remote.post(path, null);
            out.println("gate run " + run.path("run").asText() + " of " + endpoint + " ("
                    + run.path("baseUrl").asText() + ", model "
                    + run.path("modelId").asText() + "): "
                    + run.path("total").asInt() + " fixtures");
            out.flush();
            if (!await) {
                out.println("follow it with: ./drydock model gate " + endpoint + " --wait, or GET " + path);
                return CliExit.OK;
            }
            int done = -1;
            while (run.path("state").asText().equals("running")) {
                if (run.path("done").asInt() != done) {
                    done = run.path("done").asInt();
                    out.println("progress: " + done + " of " + run.path("total").asInt() + " fixtures done");
                    out.flush();
                }
                // --wait asks the API again every --interval seconds; a run's state is small
                Thread.sleep(Math.max(1, interval) * 1000L);
                run = remote.getJson(path + "/runs/" + run.path("run").asText());
            }
            print(run, out);
            return run.path("state").asText().equals("passed") ? CliExit.OK : CliExit.FAILED;
        }
    }

    /** The report as the CLI prints it. */
    static void print(JsonNode run, PrintWriter out) {
        out.println(
                "gate " + run.path("state").asText() + ": " + run.path("reason").asText());
        out.println(String.format(
                "pass rate %s (needs %s), tokens %d in / %d out, %d ms",
                run.path("passRate").asText(),
                run.path("threshold").asText(),
                run.path("promptTokens").asLong(),
                run.path("completionTokens").asLong(),
                run.path("wallMs").asLong()));
        out.println(String.format(
                "%-16s %-8s %10s %10s %9s %s", "FIXTURE", "RESULT", "TOKENS IN", "TOKENS OUT", "MS", "DETAIL"));
        for (JsonNode f : run.path("fixtures")) {
            out.println(String.format(
                    "%-16s %-8s %10d %10d %9d %s",
                    f.path("name").asText(),
                    f.path("state").asText(),
                    f.path("promptTokens").asLong(),
                    f.path("completionTokens").asLong(),
                    f.path("wallMs").asLong(),
                    f.path("detail").asText()));
        }
        JsonNode diff = run.path("diff");
        if (diff.isObject()) {
            out.println("compared with " + diff.path("baselineEndpoint").asText() + " (pass rate "
                    + diff.path("baselinePassRate").asText() + "): newly failing " + diff.path("newlyFailing")
                    + ", newly passing " + diff.path("newlyPassing") + ", tokens x"
                    + diff.path("tokenRatio").asText() + ", time x"
                    + diff.path("timeRatio").asText());
        } else {
            out.println("no comparison: no other model is routed for the code droid, or it has no gate report");
        }
        out.flush();
    }
}
