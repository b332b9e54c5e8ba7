package dev.drydock.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.RemoteServer;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock mcp}: the MCP tool servers of the server signed in to with {@code ./drydock login}
 * (drydock-admins): add one (HTTP URL or stdio command, the workspaces that may use it), list them,
 * remove one, and show or set its tools' risk classes.
 */
@Command(
        name = "mcp",
        description = "MCP tool servers: add, list, remove, tools (drydock-admins, after ./drydock login).",
        subcommands = {
            McpCommand.Add.class,
            McpCommand.ListServers.class,
            McpCommand.Remove.class,
            McpCommand.Tools.class
        })
public final class McpCommand implements Callable<Integer> {
    static final String BASE = "/api/admin/mcp-servers";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(new PrintWriter(spec.commandLine().getErr(), true));
        return CliExit.USAGE;
    }

    /** The server option every mcp command takes. */
    static class Target {
        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        RemoteServer remote() {
            return RemoteServer.signedInOrCurrent(server);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String line(JsonNode s) {
        String where = s.path("transport").asText().equals("http")
                ? s.path("url").asText()
                : s.path("command").asText();
        List<String> workspaces = new ArrayList<>();
        s.path("workspaces").forEach(w -> workspaces.add(w.asText()));
        return String.format(
                "%-20s %-6s %-5d %-24s %s%s",
                s.path("name").asText(),
                s.path("transport").asText(),
                s.path("tools").size(),
                String.join(",", workspaces),
                where,
                s.path("listError").isTextual()
                        ? "  (listing failed: " + s.path("listError").asText() + ")"
                        : "");
    }

    static void tools(JsonNode s, PrintWriter out) {
        if (s.path("tools").isEmpty()) {
            out.println(
                    s.path("transport").asText().equals("stdio")
                                    && s.path("listedAt").isNull()
                            ? "no tools yet: a stdio server lists them in the sandbox of the first session that may use it"
                            : "no tools listed");
            return;
        }
        out.println(String.format("%-40s %-17s %-8s %s", "TOOL (as droids call it)", "RISK", "ENABLED", "DESCRIPTION"));
        for (JsonNode t : s.path("tools")) {
            String description = t.path("description").asText().replace('\n', ' ');
            out.println(String.format(
                    "%-40s %-17s %-8s %s",
                    t.path("droidName").asText(),
                    t.path("risk").asText(),
                    t.path("enabled").asBoolean() ? "yes" : "no",
                    description.length() > 60 ? description.substring(0, 60) + "…" : description));
        }
    }

    @Command(
            name = "add",
            description =
                    "Register (or replace) an MCP server: --url for Streamable HTTP (host on the egress allow-list) or --command for stdio (run in each session's sandbox).")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        @Parameters(index = "0", paramLabel = "NAME", description = "Server name: lower-case letters, digits, dashes")
        String name = "";

        @Option(names = "--url", description = "Streamable HTTP endpoint, e.g. http://tickets.corp:8080/mcp")
        @Nullable
        String url;

        @Option(names = "--command", description = "stdio: the command line run in the session's sandbox")
        @Nullable
        String command;

        @Option(names = "--credential-secret", description = "HTTP only: the workspace secret sent as credential")
        @Nullable
        String credentialSecret;

        @Option(
                names = "--credential-header",
                description = "HTTP only: the header it goes in (default: Authorization)")
        @Nullable
        String credentialHeader;

        @Option(
                names = {"-w", "--workspace"},
                required = true,
                description = "A workspace that may use it (repeat; '*' for every workspace)")
        List<String> workspaces = new ArrayList<>();

        @Override
        public Integer call() {
            if ((url == null) == (command == null)) {
                throw new CliException("give exactly one of --url and --command", CliExit.USAGE);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("transport", url != null ? "http" : "stdio");
            if (url != null) {
                body.put("url", url);
            }
            if (command != null) {
                body.put("command", command);
            }
            if (credentialSecret != null) {
                body.put("credentialSecret", credentialSecret);
            }
            if (credentialHeader != null) {
                body.put("credentialHeader", credentialHeader);
            }
            body.put("workspaces", workspaces);
            JsonNode s = target.remote().put(BASE + "/" + encode(name), body);
            PrintWriter out = spec.commandLine().getOut();
            out.println("registered " + line(s));
            tools(s, out);
            return CliExit.OK;
        }
    }

    @Command(name = "list", description = "List the MCP servers with their transport, tool count and workspaces.")
    static final class ListServers implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            JsonNode list = target.remote().getJson(BASE);
            PrintWriter out = spec.commandLine().getOut();
            if (list.isEmpty()) {
                out.println("no MCP servers yet: add one with './drydock mcp add NAME --url URL -w WORKSPACE'");
                return CliExit.OK;
            }
            out.println(String.format("%-20s %-6s %-5s %-24s %s", "NAME", "KIND", "TOOLS", "WORKSPACES", "ENDPOINT"));
            list.forEach(s -> out.println(line(s)));
            return CliExit.OK;
        }
    }

    @Command(name = "remove", description = "Remove an MCP server and its tools.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        @Parameters(index = "0", paramLabel = "NAME")
        String name = "";

        @Override
        public Integer call() {
            target.remote().delete(BASE + "/" + encode(name));
            spec.commandLine().getOut().println("removed " + name);
            return CliExit.OK;
        }
    }

    @Command(
            name = "tools",
            description =
                    "Show a server's tools; with --tool, set that tool's --risk (read-only, writes-workspace, network, destructive) or --enable/--disable it; --refresh lists them again.")
    static final class Tools implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        @Parameters(index = "0", paramLabel = "NAME")
        String name = "";

        @Option(names = "--tool", description = "The tool to change (its name on the MCP server)")
        @Nullable
        String tool;

        @Option(names = "--risk", description = "read-only, writes-workspace, network or destructive")
        @Nullable
        String risk;

        @Option(names = "--enable", description = "Let droids call the tool")
        boolean enable;

        @Option(names = "--disable", description = "Stop droids calling the tool")
        boolean disable;

        @Option(names = "--refresh", description = "List the server's tools again first")
        boolean refresh;

        @Override
        public Integer call() {
            RemoteServer remote = target.remote();
            String path = BASE + "/" + encode(name);
            PrintWriter out = spec.commandLine().getOut();
            if (enable && disable) {
                throw new CliException("give at most one of --enable and --disable", CliExit.USAGE);
            }
            if (tool == null && (risk != null || enable || disable)) {
                throw new CliException("--risk, --enable and --disable need --tool", CliExit.USAGE);
            }
            if (refresh) {
                remote.post(path + "/refresh", null);
            }
            if (tool != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                if (risk != null) {
                    body.put("risk", risk);
                }
                if (enable || disable) {
                    body.put("enabled", enable);
                }
                remote.put(path + "/tools/" + encode(tool), body);
            }
            tools(remote.getJson(path), out);
            return CliExit.OK;
        }
    }
}
