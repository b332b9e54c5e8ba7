package dev.drydock.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.tool.Tool;
import dev.drydock.server.agent.tool.Workspace;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.NativeSql;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.secret.WorkspaceSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * MCP tool servers as policy (issue #19): a drydock-admin registers a server, the workspaces that may
 * use it and, per listed tool, its risk class and whether droids may call it. A newly listed tool is
 * {@link Risk#DESTRUCTIVE} (the riskiest class; the workspace's autonomy still decides whether that
 * asks or blocks) until an admin lowers it. Sessions of an allowed workspace get the enabled tools as
 * {@link McpTool}s. Every change is audited; a credential is only ever a workspace secret's name.
 */
@ApplicationScoped
public class McpServers {
    private static final Logger LOG = Logger.getLogger(McpServers.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** What a model API accepts as a tool name, checked on the namespaced name. */
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final int MAX_PAGES = 20;
    private static final int MAX_TOOLS = 200;

    @Inject
    NativeSql sql;

    @Inject
    AuditTrail audit;

    @Inject
    EgressGuard egress;

    @Inject
    WorkspaceSecrets secrets;

    @Inject
    McpConfig config;

    /** A registered server and the tools it listed. */
    public record ServerView(
            String name,
            String transport,
            @Nullable String url,
            @Nullable String command,
            @Nullable String credentialSecret,
            @Nullable String credentialHeader,
            List<String> workspaces,
            String createdBy,
            String createdAt,
            @Nullable String listedAt,
            @Nullable String listError,
            List<ToolView> tools) {}

    /** One listed tool: the name droids call it by, its schema, the admin's risk class and switch. */
    public record ToolView(
            String name, String droidName, String description, String inputSchema, String risk, boolean enabled) {}

    /** A registration's fields as the API takes them. */
    public record Registration(
            @Nullable String transport,
            @Nullable String url,
            @Nullable String command,
            @Nullable String credentialSecret,
            @Nullable String credentialHeader,
            @Nullable List<String> workspaces) {}

    /** Registers (or replaces) a server; an HTTP server's tools are listed at once. drydock-admins only. */
    public ServerView register(Principal caller, String name, Registration in) {
        requireAdmin(caller);
        Checked c = check(name, in);
        sql.update(
                """
                insert into mcp_server (name, transport, url, command, credential_secret, credential_header, workspaces, created_by)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                on conflict (name) do update set transport = excluded.transport, url = excluded.url, command = excluded.command,
                  credential_secret = excluded.credential_secret, credential_header = excluded.credential_header,
                  workspaces = excluded.workspaces, created_by = excluded.created_by, created_at = now(),
                  listed_at = null, list_error = null""",
                name,
                c.transport(),
                c.url(),
                c.command(),
                c.secret(),
                c.header(),
                String.join(",", c.workspaces()),
                caller.username());
        audit.append(AuditEntry.of(caller.subject(), "mcp-server.registered", name)
                .with("transport", c.transport())
                .with("url", c.url())
                .with("command", c.command())
                .with("credentialSecret", c.secret())
                .with("workspaces", String.join(",", c.workspaces()))
                .with("by", caller.username()));
        if (c.transport().equals("http")) {
            listHttp(name);
        }
        return view(name);
    }

    /** Every registered server with its tools; drydock-admins only. */
    public List<ServerView> list(Principal caller) {
        requireAdmin(caller);
        return sql.rows("select name from mcp_server order by name").stream()
                .map(r -> view((String) r[0]))
                .toList();
    }

    /** One server; drydock-admins only. */
    public ServerView get(Principal caller, String name) {
        requireAdmin(caller);
        return view(name);
    }

    /** Removes a server and its tools; drydock-admins only. */
    public void remove(Principal caller, String name) {
        requireAdmin(caller);
        if (sql.update("delete from mcp_server where name = ?1", name) == 0) {
            throw ProblemException.notFound("MCP server '" + name + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "mcp-server.removed", name).with("by", caller.username()));
    }

    /**
     * Lists an HTTP server's tools again (new tools arrive at the riskiest class, vanished ones are
     * dropped, the admin's choices for the others stay). A stdio server lists its tools in the sandbox
     * of the next session that may use it. drydock-admins only.
     */
    public ServerView refresh(Principal caller, String name) {
        requireAdmin(caller);
        Stored s = stored(name);
        if (s.transport().equals("stdio")) {
            sql.update("update mcp_server set listed_at = null, list_error = null where name = ?1", name);
        } else {
            listHttp(name);
        }
        audit.append(
                AuditEntry.of(caller.subject(), "mcp-server.refreshed", name).with("by", caller.username()));
        return view(name);
    }

    /** Sets a tool's risk class and whether droids may call it; drydock-admins only. */
    public ToolView setTool(
            Principal caller, String server, String tool, @Nullable String risk, @Nullable Boolean enabled) {
        requireAdmin(caller);
        stored(server);
        Risk r = risk == null ? null : parseRisk(risk);
        int changed = sql.update(
                "update mcp_tool set risk = coalesce(?3, risk), enabled = coalesce(cast(?4 as boolean), enabled), updated_by = ?5 where server = ?1 and name = ?2",
                server,
                tool,
                r == null ? null : r.name(),
                enabled == null ? null : enabled.toString(),
                caller.username());
        if (changed == 0) {
            throw ProblemException.notFound("Tool '" + tool + "' of the MCP server '" + server + "'");
        }
        ToolView v = view(server).tools().stream()
                .filter(t -> t.name().equals(tool))
                .findFirst()
                .orElseThrow();
        audit.append(AuditEntry.of(caller.subject(), "mcp-tool.changed", server + "/" + tool)
                .with("risk", v.risk())
                .with("enabled", v.enabled())
                .with("by", caller.username()));
        return v;
    }

    /**
     * The droid tools of a session of {@code workspace}: the enabled tools of every server that
     * workspace may use. A stdio server whose tools were never listed lists them first, in {@code
     * sandbox} (the session's own); its calls then run in {@code tools}' workspace (the session's
     * classified view of the same sandbox). Server-internal: the session was checked.
     */
    public List<Tool> tools(String workspace, Workspace sandbox) {
        return toolsOf(workspace, sandbox);
    }

    /**
     * The droid tools of {@code workspace} as registered now, without listing any server's tools (a
     * replay: its tools answer from the recorded log and never reach a server).
     */
    public List<Tool> listedTools(String workspace) {
        return toolsOf(workspace, null);
    }

    private List<Tool> toolsOf(String workspace, @Nullable Workspace sandbox) {
        List<Tool> out = new ArrayList<>();
        for (Stored s : allServers()) {
            if (!s.workspaces().contains("*") && !s.workspaces().contains(workspace)) {
                continue;
            }
            if (s.transport().equals("stdio") && s.listedAt() == null && sandbox != null) {
                list(s.name(), new StdioMcpTransport(sandbox, command(s), config.callTimeout()));
            }
            Function<Workspace, McpTransport> transport = transport(s, workspace);
            for (Object[] r : sql.rows(
                    "select name, description, input_schema, risk from mcp_tool where server = ?1 and enabled order by name",
                    s.name())) {
                out.add(new McpTool(
                        s.name(),
                        (String) r[0],
                        (String) r[1],
                        schema((String) r[2]),
                        Risk.valueOf((String) r[3]),
                        transport,
                        config.maxResultChars()));
            }
        }
        return out;
    }

    private Function<Workspace, McpTransport> transport(Stored s, String workspace) {
        if (s.transport().equals("stdio")) {
            String command = command(s);
            return ws -> new StdioMcpTransport(ws, command, config.callTimeout());
        }
        String credential = s.secret() == null
                ? null
                : secrets.reveal(workspace, s.secret()).orElse(null);
        HttpMcpTransport http = http(s, credential);
        return ws -> http;
    }

    private HttpMcpTransport http(Stored s, @Nullable String credential) {
        return new HttpMcpTransport(
                egress,
                URI.create(java.util.Objects.requireNonNull(s.url(), "an http server has a url")),
                s.header(),
                credential,
                config.callTimeout(),
                config.maxResponseBytes());
    }

    private static String command(Stored s) {
        return java.util.Objects.requireNonNull(s.command(), "a stdio server has a command");
    }

    /** Lists an HTTP server's tools with the credential of the first allowed workspace that has the secret. */
    private void listHttp(String name) {
        Stored s = stored(name);
        String credential = null;
        if (s.secret() != null) {
            for (String w : s.workspaces()) {
                Optional<String> v = w.equals("*") ? Optional.empty() : secrets.reveal(w, s.secret());
                if (v.isPresent()) {
                    credential = v.get();
                    break;
                }
            }
        }
        list(name, http(s, credential));
    }

    /** {@code tools/list} (every page) into the tool table; a failure is stored as the server's list error. */
    private void list(String server, McpTransport transport) {
        Map<String, ObjectNode> listed = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        try {
            String cursor = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                ObjectNode params = McpTransport.JSON.createObjectNode();
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                JsonNode result = transport.request("tools/list", params);
                for (JsonNode t : result.path("tools")) {
                    String n = t.path("name").asText("");
                    if (!TOOL_NAME.matcher(McpTool.name(server, n)).matches() || listed.size() >= MAX_TOOLS) {
                        skipped.add(n);
                    } else if (t.isObject()) {
                        listed.put(n, (ObjectNode) t);
                    }
                }
                cursor = result.path("nextCursor").isTextual()
                        ? result.path("nextCursor").asText()
                        : null;
                if (cursor == null || cursor.isEmpty()) {
                    break;
                }
            }
        } catch (McpException e) {
            LOG.infof("MCP server %s: tools/list failed: %s", server, e.getMessage());
            sql.update(
                    "update mcp_server set list_error = ?2 where name = ?1",
                    server,
                    abbreviate(String.valueOf(e.getMessage())));
            return;
        }
        for (Map.Entry<String, ObjectNode> e : listed.entrySet()) {
            JsonNode schema = e.getValue().path("inputSchema");
            sql.update(
                    """
                    insert into mcp_tool (server, name, description, input_schema, risk) values (?1, ?2, ?3, ?4, ?5)
                    on conflict (server, name) do update set description = excluded.description, input_schema = excluded.input_schema""",
                    server,
                    e.getKey(),
                    abbreviate(e.getValue().path("description").asText("")),
                    schema.isObject() ? schema.toString() : "{\"type\":\"object\"}",
                    Risk.DESTRUCTIVE.name());
        }
        List<String> gone = sql.rows("select name from mcp_tool where server = ?1", server).stream()
                .map(r -> (String) r[0])
                .filter(n -> !listed.containsKey(n))
                .toList();
        gone.forEach(n -> sql.update("delete from mcp_tool where server = ?1 and name = ?2", server, n));
        sql.update(
                "update mcp_server set listed_at = now(), list_error = ?2 where name = ?1",
                server,
                skipped.isEmpty()
                        ? null
                        : "left out tools whose names a model cannot call or past " + MAX_TOOLS + ": "
                                + abbreviate(String.join(", ", skipped)));
    }

    private record Stored(
            String name,
            String transport,
            @Nullable String url,
            @Nullable String command,
            @Nullable String secret,
            @Nullable String header,
            List<String> workspaces,
            String createdBy,
            String createdAt,
            @Nullable String listedAt,
            @Nullable String listError) {}

    private List<Stored> allServers() {
        return sql
                .rows(
                        "select name, transport, url, command, credential_secret, credential_header, workspaces, created_by, created_at, listed_at, list_error from mcp_server order by name")
                .stream()
                .map(McpServers::stored)
                .toList();
    }

    private Stored stored(String name) {
        return allServers().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("MCP server '" + name + "'"));
    }

    private static Stored stored(Object[] r) {
        String ws = (String) r[6];
        Object listed = r[9];
        return new Stored(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                ws.isEmpty() ? List.of() : List.of(ws.split(",")),
                (String) r[7],
                Columns.instant(r[8]).toString(),
                listed == null ? null : Columns.instant(listed).toString(),
                (String) r[10]);
    }

    private ServerView view(String name) {
        Stored s = stored(name);
        List<ToolView> tools = sql
                .rows(
                        "select name, description, input_schema, risk, enabled from mcp_tool where server = ?1 order by name",
                        name)
                .stream()
                .map(r -> new ToolView(
                        (String) r[0],
                        McpTool.name(name, (String) r[0]),
                        (String) r[1],
                        (String) r[2],
                        label(Risk.valueOf((String) r[3])),
                        Boolean.TRUE.equals(r[4])))
                .toList();
        return new ServerView(
                s.name(),
                s.transport(),
                s.url(),
                s.command(),
                s.secret(),
                s.header(),
                s.workspaces(),
                s.createdBy(),
                s.createdAt(),
                s.listedAt(),
                s.listError(),
                tools);
    }

    /** The validated registration. */
    private record Checked(
            String transport,
            @Nullable String url,
            @Nullable String command,
            @Nullable String secret,
            @Nullable String header,
            List<String> workspaces) {}

    private Checked check(String name, Registration in) {
        if (!NAME.matcher(name).matches()) {
            throw field(400, "name", "a server name is 1 to 40 lower-case letters, digits and dashes, e.g. 'tickets'");
        }
        String transport = in.transport() == null ? "" : in.transport().strip();
        String secret = blankToNull(in.credentialSecret());
        String header = blankToNull(in.credentialHeader());
        List<String> workspaces = workspaces(in.workspaces());
        switch (transport) {
            case "http" -> {
                if (blankToNull(in.command()) != null) {
                    throw field(400, "command", "an http server has a url, not a command");
                }
                URI uri = url(in.url());
                if (header != null && !HEADER.matcher(header).matches()) {
                    throw field(400, "credentialHeader", "not an HTTP header name: " + header);
                }
                if (secret != null && !WorkspaceSecrets.NAME.matcher(secret).matches()) {
                    throw field(400, "credentialSecret", "not a secret name: " + secret);
                }
                return new Checked(
                        transport,
                        uri.toString(),
                        null,
                        secret,
                        secret == null ? null : header == null ? "Authorization" : header,
                        workspaces);
            }
            case "stdio" -> {
                String command = blankToNull(in.command());
                if (command == null) {
                    throw field(
                            400,
                            "command",
                            "a stdio server needs the command line that starts it in the sandbox, e.g. 'npx -y @acme/mcp-tickets'");
                }
                if (command.length() > 4096 || command.indexOf('\0') >= 0) {
                    throw field(400, "command", "the command line is longer than 4096 characters or holds a NUL");
                }
                if (blankToNull(in.url()) != null) {
                    throw field(400, "url", "a stdio server has a command, not a url");
                }
                if (secret != null || header != null) {
                    throw field(
                            400,
                            "credentialSecret",
                            "a stdio server runs in the sandbox, which never holds a credential; only http servers take one");
                }
                return new Checked(transport, null, command, null, null, workspaces);
            }
            default ->
                throw field(
                        400,
                        "transport",
                        "transport is 'http' (Streamable HTTP, from the server) or 'stdio' (a command run in each session's sandbox)");
        }
    }

    private URI url(@Nullable String url) {
        if (url == null || url.isBlank()) {
            throw field(
                    400, "url", "an http server needs its Streamable HTTP endpoint, e.g. http://tickets.corp:8080/mcp");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw field(400, "url", "not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw field(400, "url", "the url must be http:// or https:// with a host: " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw field(400, "url", "put no credential in the url; name a workspace secret in credentialSecret");
        }
        if (!egress.isAllowed(uri.getHost())) {
            throw new ProblemException(Problem.of(
                            422,
                            "host-not-allowed",
                            "Host not allowed",
                            "MCP server host '" + uri.getHost()
                                    + "' is not on the egress allow-list (drydock.egress.allowed-hosts); Drydock contacts no other host.")
                    .withErrors(List.of(new Problem.FieldError("url", "host not on the egress allow-list"))));
        }
        return uri;
    }

    private List<String> workspaces(@Nullable List<String> in) {
        if (in == null || in.isEmpty()) {
            throw field(
                    400, "workspaces", "name the workspaces that may use the server, or [\"*\"] for every workspace");
        }
        List<String> out = new ArrayList<>();
        for (String w : in) {
            String slug = w == null ? "" : w.strip();
            if (slug.equals("*")) {
                return List.of("*");
            }
            if (sql.one("select count(*) from workspace where slug = ?1", slug) instanceof Number n
                    && n.longValue() == 0) {
                throw field(400, "workspaces", "no workspace '" + slug + "'");
            }
            if (!out.contains(slug)) {
                out.add(slug);
            }
        }
        return List.copyOf(out);
    }

    static Risk parseRisk(String label) {
        String key = label.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(Risk.values())
                .filter(r -> r.name().equals(key))
                .findFirst()
                .orElseThrow(() -> field(
                        400,
                        "risk",
                        "risk is one of read-only, writes-workspace, network, destructive; got '" + label + "'"));
    }

    static String label(Risk risk) {
        return risk.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static JsonNode schema(String text) {
        try {
            return McpTransport.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return McpTransport.JSON.createObjectNode().put("type", "object");
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }

    private static void requireAdmin(Principal caller) {
        if (!caller.isDrydockAdmin()) {
            throw new ProblemException(
                    Problem.of(403, "forbidden", "Forbidden", "only a drydock-admin manages MCP tool servers"));
        }
    }

    private static ProblemException field(int status, String field, String message) {
        return new ProblemException(Problem.of(status, "invalid-mcp-server", "Invalid MCP server", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
