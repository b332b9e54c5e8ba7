package dev.drydock.cli.repo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.RemoteServer;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock repo}: the repositories of a workspace on the server signed in to with {@code
 * ./drydock login}, as the portal's Repositories page shows them: add one (by git URL or server
 * path), list them with their sync and index status, sync one (and wait until it is indexed).
 */
@Command(
        name = "repo",
        description = "Repositories of a workspace: add, list, sync (after ./drydock login).",
        subcommands = {RepoCommand.Add.class, RepoCommand.ListRepos.class, RepoCommand.Sync.class})
public final class RepoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(new PrintWriter(spec.commandLine().getErr(), true));
        return CliExit.USAGE;
    }

    /** Options every repo command takes. */
    static class Target {
        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Option(
                names = {"-w", "--workspace"},
                required = true,
                description = "Workspace slug, e.g. demo")
        String workspace = "";

        RemoteServer remote() {
            return RemoteServer.signedInOrCurrent(server);
        }

        String base() {
            return "/api/workspaces/" + encode(workspace) + "/repositories";
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String line(JsonNode r) {
        String status = r.path("status").asText();
        String detail = r.path("statusDetail").asText("");
        String source = r.path("url").asText("").isEmpty()
                ? r.path("path").asText("")
                : r.path("url").asText("");
        return String.format(
                "%-24s %-10s %-8s %s%s",
                r.path("name").asText(),
                status,
                r.path("branch").asText(""),
                source,
                status.equals("failed") && !detail.isEmpty() ? "  (" + detail + ")" : "");
    }

    /** Waits until the repository is ready or failed; prints each status change. */
    static JsonNode await(RemoteServer remote, String path, PrintWriter out, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        String last = "";
        while (true) {
            JsonNode r = remote.getJson(path);
            String status = r.path("status").asText();
            if (!status.equals(last)) {
                out.println("  " + status
                        + (r.path("statusDetail").asText("").isEmpty()
                                ? ""
                                : ": " + r.path("statusDetail").asText()));
                last = status;
            }
            if (status.equals("ready") || status.equals("failed")) {
                return r;
            }
            if (Instant.now().isAfter(until)) {
                throw new CliException(
                        "still " + status + " after " + timeout.toSeconds() + " s; see './drydock repo list'",
                        CliExit.UNAVAILABLE);
            }
            LockSupport.parkNanos(
                    Duration.ofMillis(500).toNanos()); // polling the server's status, not waiting for time to pass
        }
    }

    @Command(
            name = "add",
            description =
                    "Register a repository by git URL or by a folder under one of the server's local roots; the first sync starts at once.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", paramLabel = "NAME", description = "Name of the repository in the workspace")
        String name = "";

        @Option(names = "--url", description = "Git URL (its host must be allowed: portal Sources page)")
        @Nullable
        String url;

        @Option(names = "--path", description = "Folder on the server, under a local root")
        @Nullable
        String path;

        @Option(names = "--branch", description = "Branch to follow (default: the repository's default branch)")
        @Nullable
        String branch;

        @Option(names = "--wait", description = "Wait until the first sync has indexed it")
        boolean await;

        @Override
        public Integer call() {
            if ((url == null) == (path == null)) {
                throw new CliException("give exactly one of --url and --path", CliExit.USAGE);
            }
            RemoteServer remote = target.remote();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (url != null) {
                body.put("url", url);
            }
            if (path != null) {
                body.put("path", path);
            }
            if (branch != null) {
                body.put("branch", branch);
            }
            JsonNode r = remote.post(target.base(), body);
            PrintWriter out = spec.commandLine().getOut();
            out.println("added " + target.workspace + "/" + r.path("name").asText() + " ("
                    + r.path("status").asText() + ")");
            if (await) {
                JsonNode done =
                        RepoCommand.await(remote, target.base() + "/" + encode(name), out, Duration.ofMinutes(10));
                out.println(line(done));
                return done.path("status").asText().equals("ready") ? CliExit.OK : CliExit.FAILED;
            }
            return CliExit.OK;
        }
    }

    @Command(name = "list", description = "List the workspace's repositories with their sync and index status.")
    static final class ListRepos implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            JsonNode list = target.remote().getJson(target.base());
            PrintWriter out = spec.commandLine().getOut();
            if (list.isEmpty()) {
                out.println("no repositories in " + target.workspace + " yet: add one with './drydock repo add -w "
                        + target.workspace + " NAME --url URL'");
                return CliExit.OK;
            }
            out.println(String.format("%-24s %-10s %-8s %s", "NAME", "STATUS", "BRANCH", "SOURCE"));
            for (JsonNode r : list) {
                out.println(line(r));
            }
            return CliExit.OK;
        }
    }

    @Command(
            name = "sync",
            description = "Fetch and index a repository now; --wait follows it until it is ready or failed.")
    static final class Sync implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Parameters(index = "0", paramLabel = "NAME")
        String name = "";

        @Option(names = "--wait", description = "Wait until the sync has finished")
        boolean await;

        @Override
        public Integer call() {
            RemoteServer remote = target.remote();
            String path = target.base() + "/" + encode(name);
            remote.post(path + "/sync", null);
            PrintWriter out = spec.commandLine().getOut();
            out.println("sync of " + target.workspace + "/" + name + " started");
            if (await) {
                JsonNode done = RepoCommand.await(remote, path, out, Duration.ofMinutes(10));
                out.println(line(done));
                return done.path("status").asText().equals("ready") ? CliExit.OK : CliExit.FAILED;
            }
            return CliExit.OK;
        }
    }
}
