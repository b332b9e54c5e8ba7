package dev.drydock.cli.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.RemoteServer;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock migration}: start a migration (a knowledge droid plans it), show its plan and
 * tasks, approve the plan, and watch the tasks run, on the server signed in to with {@code ./drydock
 * login}. Editing the plan, retrying and skipping tasks: the board in the portal, or the API.
 */
@Command(
        name = "migration",
        description = "Migrations: create, show, approve, watch (after ./drydock login).",
        subcommands = {
            MigrationCommand.Create.class,
            MigrationCommand.Show.class,
            MigrationCommand.Approve.class,
            MigrationCommand.Watch.class
        })
public final class MigrationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(new PrintWriter(spec.commandLine().getErr(), true));
        return CliExit.USAGE;
    }

    static String path(String workspace) {
        return "/api/workspaces/" + URLEncoder.encode(workspace, StandardCharsets.UTF_8) + "/migrations";
    }

    @Command(
            name = "create",
            description = "Start a migration over repositories of a workspace; a knowledge droid writes its plan.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Option(
                names = {"-w", "--workspace"},
                required = true,
                description = "Workspace slug")
        String workspace = "";

        @Option(
                names = {"-r", "--repo"},
                required = true,
                description = "A repository of the workspace (repeat for each)")
        List<String> repositories = new ArrayList<>();

        @Option(names = "--max-parallel", description = "Most tasks at once (default: the server's cap)")
        @Nullable
        Integer maxParallel;

        @Option(
                names = "--ready-when",
                paramLabel = "WHEN",
                description =
                        "When a task's dependents start: session-succeeded (default) or merged (each succeeded task's merge request is opened, and must merge first)")
        @Nullable
        String readyWhen;

        @Parameters(index = "0", paramLabel = "GOAL", description = "What the migration should achieve")
        String goal = "";

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("goal", goal);
            body.put("repositories", repositories);
            if (maxParallel != null) {
                body.put("maxParallel", maxParallel);
            }
            if (readyWhen != null) {
                body.put("readyWhen", readyWhen);
            }
            JsonNode m = remote.post(path(workspace), body);
            String id = m.path("id").asText();
            spec.commandLine()
                    .getOut()
                    .println("migration " + id + " is being planned: " + remote.server() + "/portal/workspaces/"
                            + workspace + "/migrations/" + id
                            + "\nreview the plan, then './drydock migration approve -w "
                            + workspace + " " + id + "'");
            return CliExit.OK;
        }
    }

    @Command(name = "show", description = "A migration's state and tasks (--plan: the plan as JSON, as PUT takes it).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Option(
                names = {"-w", "--workspace"},
                required = true,
                description = "Workspace slug")
        String workspace = "";

        @Option(names = "--plan", description = "Print the plan as JSON")
        boolean plan;

        @Parameters(index = "0", paramLabel = "ID", description = "Migration id")
        String id = "";

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            PrintWriter out = spec.commandLine().getOut();
            if (plan) {
                out.println(remote.getJson(path(workspace) + "/" + id + "/plan").toPrettyString());
                return CliExit.OK;
            }
            print(remote.getJson(path(workspace) + "/" + id), out);
            return CliExit.OK;
        }
    }

    @Command(name = "approve", description = "Approve a migration's plan; its tasks start running.")
    static final class Approve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Option(
                names = {"-w", "--workspace"},
                required = true,
                description = "Workspace slug")
        String workspace = "";

        @Parameters(index = "0", paramLabel = "ID", description = "Migration id")
        String id = "";

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            print(
                    remote.post(path(workspace) + "/" + id + "/approve", null),
                    spec.commandLine().getOut());
            return CliExit.OK;
        }
    }

    @Command(
            name = "watch",
            description =
                    "Follow a migration, one line per task change, until it completes (exit 0) or needs attention (exit 1).")
    static final class Watch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Option(
                names = {"-w", "--workspace"},
                required = true,
                description = "Workspace slug")
        String workspace = "";

        @Option(
                names = "--interval",
                defaultValue = "2",
                description = "Seconds between looks (default: ${DEFAULT-VALUE})")
        int interval = 2;

        @Parameters(index = "0", paramLabel = "ID", description = "Migration id")
        String id = "";

        @Override
        public Integer call() throws InterruptedException {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> seen = new HashMap<>();
            String state = "";
            while (true) {
                JsonNode m = remote.getJson(path(workspace) + "/" + id);
                for (JsonNode t : m.path("tasks")) {
                    String line = t.path("state").asText()
                            + (t.path("session").isTextual()
                                    ? " session " + t.path("session").asText()
                                    : "")
                            + (t.path("error").isTextual()
                                    ? " (" + t.path("error").asText() + ")"
                                    : "");
                    if (!line.equals(seen.put(t.path("id").asText(), line))) {
                        out.println("task " + t.path("id").asText() + ": " + line);
                    }
                }
                String now = m.path("state").asText();
                if (!now.equals(state)) {
                    out.println("migration " + now
                            + (m.path("planError").isTextual()
                                    ? ": " + m.path("planError").asText()
                                    : ""));
                    state = now;
                }
                out.flush();
                if (now.equals("completed")) {
                    return CliExit.OK;
                }
                if (Set.of("needs_attention", "plan_failed", "planned").contains(now)) {
                    return 1;
                }
                // watch asks the API again every --interval seconds; the board's state is small
                Thread.sleep(Math.max(1, interval) * 1000L);
            }
        }
    }

    static void print(JsonNode m, PrintWriter out) {
        out.println("migration " + m.path("id").asText() + " in "
                + m.path("workspace").asText() + ": " + m.path("state").asText());
        out.println("goal: " + m.path("goal").asText());
        if (m.path("planError").isTextual()) {
            out.println("plan error: " + m.path("planError").asText());
        }
        JsonNode totals = m.path("totals");
        out.println("tokens: "
                + (totals.path("promptTokens").asLong()
                        + totals.path("completionTokens").asLong()) + ", cost: "
                + String.format(
                        java.util.Locale.ROOT, "%.4f", totals.path("costMicros").asLong() / 1_000_000.0));
        if (m.path("tasks").isEmpty()) {
            return;
        }
        out.println(String.format(
                "%-20s %-16s %-10s %-20s %-36s %s", "TASK", "REPOSITORY", "STATE", "WAITS FOR", "SESSION", "SCOPE"));
        for (JsonNode t : m.path("tasks")) {
            List<String> deps = new ArrayList<>();
            t.path("dependsOn").forEach(d -> deps.add(d.asText()));
            out.println(String.format(
                    "%-20s %-16s %-10s %-20s %-36s %s",
                    t.path("id").asText(),
                    t.path("repository").asText(),
                    t.path("state").asText(),
                    String.join(",", deps),
                    t.path("session").isTextual() ? t.path("session").asText() : "-",
                    t.path("scope").asText()));
        }
    }
}
