package dev.drydock.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.cli.login.RemoteServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock session}: start a droid session, follow its activity log in the terminal (one line
 * per event) and steer it there (approve or deny a pending action, answer a question), list sessions
 * and show one, on the server signed in to with {@code ./drydock login}.
 */
@Command(
        name = "session",
        description = "Droid sessions: start (and --watch), list, show, replay (after ./drydock login).",
        subcommands = {
            SessionCommand.Start.class,
            SessionCommand.ListSessions.class,
            SessionCommand.Show.class,
            SessionCommand.Replay.class
        })
public final class SessionCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(new PrintWriter(spec.commandLine().getErr(), true));
        return CliExit.USAGE;
    }

    @Command(
            name = "start",
            description =
                    "Give a droid a task; --watch streams its activity log and asks you for approvals and answers.")
    static final class Start implements Callable<Integer> {
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
                names = {"-d", "--droid"},
                defaultValue = "code",
                description = "code, knowledge or reliability (default: ${DEFAULT-VALUE})")
        String droid = "code";

        @Option(
                names = {"-r", "--repo"},
                description = "Repository of the workspace")
        @Nullable
        String repo;

        @Option(
                names = "--watch",
                description = "Follow the session until it finishes, asking you for approvals and answers")
        boolean watch;

        @Option(
                names = "--attach",
                paramLabel = "FILE",
                description = "A text file (a ticket, a log) the droid gets as an untrusted attachment named after the"
                        + " file; '-' reads standard input. Repeatable.")
        List<String> attach = new ArrayList<>();

        @Option(
                names = "--ticket",
                description =
                        "Start from a ticket instead of a TASK: a Jira key or URL (PROJ-12), or a GitLab issue of the repository (#4 or its URL)")
        @Nullable
        String ticket;

        @Parameters(index = "0", arity = "0..1", paramLabel = "TASK", description = "What the droid should do")
        String task = "";

        @Override
        public Integer call() {
            if ((ticket == null) == task.isBlank()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give either a TASK or --ticket (a Jira key or URL, or a GitLab #iid)");
            }
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            Map<String, Object> body = new LinkedHashMap<>();
            if (ticket == null) {
                body.put("workspace", workspace);
            }
            body.put("droid", droid);
            if (ticket == null) {
                body.put("task", task);
            } else {
                body.put("ticket", ticket);
            }
            if (repo != null) {
                body.put("repo", repo);
            }
            if (watch && attach.contains("-")) {
                throw new CliException(
                        "--attach - and --watch both need standard input; attach a file instead", CliExit.USAGE);
            }
            if (!attach.isEmpty()) {
                if (ticket != null) {
                    throw new CliException(
                            "--attach goes with a TASK; a ticket's own attachments come with --ticket", CliExit.USAGE);
                }
                body.put("attachments", AttachedFiles.read(attach, System.in));
            }
            JsonNode answer = ticket == null
                    ? remote.post("/api/sessions", body)
                    : remote.post("/api/workspaces/" + workspace + "/tickets/sessions", body);
            JsonNode s = ticket == null ? answer : answer.path("session");
            String id = s.path("id").asText();
            PrintWriter out = spec.commandLine().getOut();
            out.println("session " + id + " started: " + remote.server() + "/portal/sessions/" + id);
            if (!watch) {
                return CliExit.OK;
            }
            return new Watch(
                            remote,
                            id,
                            out,
                            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
                    .run();
        }
    }

    /** Follows one session's events, printing each and asking the person when the droid waits for them. */
    static final class Watch {
        private final RemoteServer remote;
        private final String id;
        private final PrintWriter out;
        private final BufferedReader in;
        private @Nullable String outcome;
        private long lastSeq;

        Watch(RemoteServer remote, String id, PrintWriter out, BufferedReader in) {
            this.remote = remote;
            this.id = id;
            this.out = out;
            this.in = in;
        }

        /** How often a stream that ended early is followed again without any new event in between. */
        static final int RECONNECTS = 5;

        int run() {
            // Like a browser's EventSource, reconnect after the last event seen when a stream ends early.
            int idle = 0;
            while (outcome == null && idle <= RECONNECTS) {
                long before = lastSeq;
                remote.events("/api/sessions/" + id + "/events?after=" + lastSeq, this::onEvent);
                idle = lastSeq > before ? 0 : idle + 1;
            }
            if (outcome == null) {
                throw new CliException(
                        "the event stream ended before the session finished; follow it again with './drydock session show "
                                + id + "'",
                        CliExit.UNAVAILABLE);
            }
            return outcome.equals("COMPLETED") ? CliExit.OK : CliExit.FAILED;
        }

        private boolean onEvent(String type, String data) {
            JsonNode e;
            try {
                e = JSON.readTree(data);
            } catch (IOException ex) {
                return true;
            }
            if (e.path("seq").asLong() <= lastSeq) {
                return true;
            }
            lastSeq = e.path("seq").asLong();
            JsonNode p = e.path("payload");
            out.println(String.format(
                    Locale.ROOT,
                    "%4d %-22s %s",
                    e.path("seq").asLong(),
                    type.replaceFirst("\\.v\\d+$", ""),
                    summary(type, p)));
            switch (type) {
                case "approval.requested.v1" -> decide(p);
                case "question.asked.v1" -> answer(p);
                case "session.finished.v1" -> {
                    outcome = p.path("outcome").asText();
                    return false;
                }
                default -> {}
            }
            return true;
        }

        private void decide(JsonNode p) {
            out.println("     " + p.path("tool").asText() + " "
                    + p.path("arguments").asText());
            out.print("     approve? [y/n] ");
            out.flush();
            String reply = read();
            boolean approve = reply.toLowerCase(Locale.ROOT).startsWith("y");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("callId", p.path("callId").asText());
            if (!approve) {
                out.print("     reason (optional): ");
                out.flush();
                body.put("reason", read());
            }
            remote.post("/api/sessions/" + id + (approve ? "/approve" : "/deny"), body);
        }

        private void answer(JsonNode p) {
            out.print("     your answer: ");
            out.flush();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("callId", p.path("callId").asText());
            body.put("answer", read());
            remote.post("/api/sessions/" + id + "/answer", body);
        }

        private String read() {
            try {
                String line = in.readLine();
                if (line == null) {
                    throw new CliException(
                            "no answer (end of input); the session waits: steer it in the portal or run './drydock session show "
                                    + id + "'",
                            CliExit.FAILED);
                }
                return line.strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** One line about an event: what, where and the result. */
        static String summary(String type, JsonNode p) {
            return switch (type) {
                case "session.started.v1" ->
                    p.path("droid").asText() + " droid: "
                            + firstLine(p.path("task").asText());
                case "tool.invoke.v1" ->
                    p.path("tool").asText() + " " + clip(p.path("arguments").asText(), 100);
                case "command.finished.v1" ->
                    "exited " + p.path("exitCode").asText()
                            + (p.path("timedOut").asBoolean() ? " (timed out)" : "");
                case "file.changed.v1" -> p.path("path").asText();
                case "tool.failed.v1", "action.rejected.v1", "format.rejected.v1" ->
                    clip(p.path("reason").asText(p.path("error").asText(p.toString())), 120);
                case "approval.requested.v1" ->
                    "waits for your approval: " + p.path("tool").asText() + " ("
                            + p.path("risk").asText().toLowerCase(Locale.ROOT) + ")";
                case "question.asked.v1" ->
                    "asks: " + p.path("question").asText()
                            + (p.path("options").isEmpty() ? "" : " " + p.path("options"));
                case "action.approved.v1", "action.denied.v1" ->
                    "by " + p.path("by").asText("")
                            + (p.path("reason").asText("").isEmpty()
                                    ? ""
                                    : ": " + p.path("reason").asText());
                case "question.answered.v1" -> p.path("answer").asText();
                case "plan.updated.v1" -> p.path("steps").size() + " steps";
                case "artifact.produced.v1" ->
                    p.path("kind").asText().toLowerCase(Locale.ROOT) + " "
                            + p.path("title").asText()
                            + (p.path("location").asText("").isEmpty()
                                    ? ""
                                    : " at " + p.path("location").asText());
                case "session.finished.v1" ->
                    p.path("outcome").asText().toLowerCase(Locale.ROOT) + ": "
                            + firstLine(p.path("summary").asText());
                case "model.usage.v1" ->
                    p.path("promptTokens").asLong() + "+"
                            + p.path("completionTokens").asLong() + " tokens";
                default -> "";
            };
        }

        private static String firstLine(String s) {
            return clip(s.strip().lines().findFirst().orElse(""), 120);
        }

        private static String clip(String s, int max) {
            String one = s.replace('\n', ' ');
            return one.length() <= max ? one : one.substring(0, max) + "…";
        }
    }

    @Command(name = "list", description = "Your recent sessions (across your workspaces, or one with --workspace).")
    static final class ListSessions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Option(
                names = {"-w", "--workspace"},
                description = "Only this workspace")
        @Nullable
        String workspace;

        @Option(names = "--limit", defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE})")
        int limit = 20;

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            JsonNode list = remote.getJson("/api/sessions?limit=" + limit
                    + (workspace == null
                            ? ""
                            : "&workspace=" + java.net.URLEncoder.encode(workspace, StandardCharsets.UTF_8)));
            PrintWriter out = spec.commandLine().getOut();
            if (list.isEmpty()) {
                out.println(
                        "no sessions yet: start one with './drydock session start -w WORKSPACE -r REPO \"TASK\" --watch'");
                return CliExit.OK;
            }
            out.println(String.format(
                    "%-36s %-10s %-10s %-18s %-10s %8s %s",
                    "ID", "WORKSPACE", "DROID", "STATUS", "OUTCOME", "TOKENS", "TITLE"));
            for (JsonNode s : list) {
                long tokens = s.path("totals").path("promptTokens").asLong()
                        + s.path("totals").path("completionTokens").asLong();
                out.println(String.format(
                        "%-36s %-10s %-10s %-18s %-10s %8d %s",
                        s.path("id").asText(),
                        s.path("workspace").asText(),
                        s.path("droid").asText(),
                        s.path("status").asText(),
                        s.path("outcome").asText(""),
                        tokens,
                        s.path("title").asText()));
            }
            return CliExit.OK;
        }
    }

    @Command(
            name = "replay",
            description =
                    "Re-run a session's loop on the server against its recorded model replies and tool outputs"
                            + " (no model, no sandbox) and check it takes the same decisions; the last line is one JSON object.")
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Parameters(index = "0", paramLabel = "ID")
        String id = "";

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            JsonNode r = remote.getJson(
                    "/api/sessions/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + "/record/replay");
            PrintWriter out = spec.commandLine().getOut();
            if (r.path("diverged").asBoolean()) {
                out.println("diverged at event " + r.path("firstDivergence").asText() + ": "
                        + r.path("detail").asText());
            } else {
                out.println("replayed " + r.path("steps").asInt() + " model replies: the same decisions");
            }
            out.println(r.path("summary").asText());
            out.flush();
            return r.path("diverged").asBoolean() ? CliExit.FAILED : CliExit.OK;
        }
    }

    @Command(name = "show", description = "One session: status, outcome, totals, what waits for you, artifacts.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", description = "Drydock server (default: the one you signed in to)")
        @Nullable
        String server;

        @Parameters(index = "0", paramLabel = "ID")
        String id = "";

        @Override
        public Integer call() {
            RemoteServer remote = RemoteServer.signedInOrCurrent(server);
            JsonNode s = remote.getJson("/api/sessions/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
            PrintWriter out = spec.commandLine().getOut();
            out.println("session   " + s.path("id").asText() + "  " + remote.server() + "/portal/sessions/"
                    + s.path("id").asText());
            out.println("title     " + s.path("title").asText());
            out.println("workspace " + s.path("workspace").asText()
                    + (s.path("repo").asText("").isEmpty()
                            ? ""
                            : "  repository " + s.path("repo").asText()));
            out.println("droid     " + s.path("droid").asText() + "  started by "
                    + s.path("createdBy").asText() + " at "
                    + s.path("createdAt").asText());
            out.println("status    " + s.path("status").asText()
                    + (s.path("outcome").isNull() || s.path("outcome").isMissingNode()
                            ? ""
                            : "  outcome " + s.path("outcome").asText()));
            JsonNode t = s.path("totals");
            out.println(String.format(
                    Locale.ROOT,
                    "usage     %d prompt + %d completion tokens, cost %.4f",
                    t.path("promptTokens").asLong(),
                    t.path("completionTokens").asLong(),
                    t.path("costMicros").asLong() / 1_000_000.0));
            if (!s.path("summary").asText("").isEmpty()) {
                out.println("summary   " + s.path("summary").asText().strip().replace("\n", "\n          "));
            }
            if (s.hasNonNull("question")) {
                out.println("waiting   question: "
                        + s.path("question").path("question").asText());
            }
            for (JsonNode a : s.path("approvals")) {
                out.println("waiting   approval of " + a.path("tool").asText() + " "
                        + a.path("arguments").asText());
            }
            for (JsonNode a : s.path("artifacts")) {
                out.println("artifact  " + a.path("kind").asText().toLowerCase(Locale.ROOT) + " "
                        + a.path("title").asText()
                        + (a.path("location").asText("").isEmpty()
                                ? ""
                                : " at " + a.path("location").asText()));
            }
            for (JsonNode f : s.path("files")) {
                out.println("changed   " + f.asText());
            }
            return CliExit.OK;
        }
    }
}
