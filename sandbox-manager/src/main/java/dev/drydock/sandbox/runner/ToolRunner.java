package dev.drydock.sandbox.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.OutputChannel;
import dev.drydock.sandbox.OutputLimiter;
import dev.drydock.sandbox.OutputListener;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.SandboxEnvironment;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.workspace.WorkspaceFiles;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The in-pod tool runner: a small HTTP server (JDK only) that runs commands in the workspace and
 * serves confined file access, for one sandbox, authenticated by that sandbox's token. Started as
 * the sandbox container's main process:
 *
 * <pre>java -cp sandbox-manager.jar dev.drydock.sandbox.runner.ToolRunner</pre>
 *
 * with {@code DRYDOCK_RUNNER_TOKEN} (required), {@code DRYDOCK_RUNNER_PORT} (7070) and {@code
 * DRYDOCK_WORKSPACE} ({@code /workspace}).
 */
public final class ToolRunner implements AutoCloseable {
    /** Looked up on first use, so a CLI that never logs never initialises a logging backend. */
    private static System.Logger log() {
        return System.getLogger(ToolRunner.class.getName());
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final WorkspaceFiles files;
    private final byte[] token;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    private ToolRunner(HttpServer server, ExecutorService executor, WorkspaceFiles files, String token) {
        this.server = server;
        this.executor = executor;
        this.files = files;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Starts a runner on {@code address} (port 0 for any) serving {@code workspace}. */
    public static ToolRunner start(InetSocketAddress address, Path workspace, String token) throws IOException {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("runner token must be at least 16 characters");
        }
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("runner-", 0).factory());
        ToolRunner runner = new ToolRunner(server, executor, new WorkspaceFiles(workspace, OptionalInt.empty()), token);
        server.setExecutor(executor);
        server.createContext("/v1/health", runner::health);
        server.createContext("/v1/exec", ex -> runner.authenticated(ex, runner::exec));
        server.createContext("/v1/files", ex -> runner.authenticated(ex, runner::file));
        server.createContext("/v1/list", ex -> runner.authenticated(ex, runner::list));
        server.createContext("/v1/stat", ex -> runner.authenticated(ex, runner::stat));
        server.start();
        return runner;
    }

    /** The port the runner listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        for (Process p : running) {
            killTree(p);
        }
        executor.shutdownNow();
    }

    public static void main(String[] args) throws Exception {
        String token = System.getenv(RunnerProtocol.TOKEN_ENV);
        if (token == null || token.isBlank()) {
            log().log(System.Logger.Level.ERROR, RunnerProtocol.TOKEN_ENV + " is not set; refusing to start");
            System.exit(2);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault(RunnerProtocol.PORT_ENV, "7070"));
        Path workspace = Path.of(System.getenv().getOrDefault(RunnerProtocol.WORKSPACE_ENV, "/workspace"));
        ToolRunner runner = start(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port), workspace, token);
        log().log(
                        System.Logger.Level.INFO,
                        "drydock tool runner listening on port " + runner.port() + " for " + workspace);
        Thread.currentThread().join();
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void health(HttpExchange ex) throws IOException {
        reply(ex, 200, "ok");
    }

    private static String messageOf(SandboxException e) {
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    private void authenticated(HttpExchange ex, Handler handler) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
                reply(ex, 401, "missing or wrong sandbox token");
                return;
            }
            try {
                handler.handle(ex);
            } catch (PathEscapeException e) {
                reply(ex, 403, messageOf(e));
            } catch (InvalidSpecException e) {
                reply(ex, 400, messageOf(e));
            } catch (SandboxException e) {
                reply(ex, messageOf(e).startsWith("no such") ? 404 : 400, messageOf(e));
            }
        } catch (IOException | RuntimeException e) {
            log().log(System.Logger.Level.WARNING, "request failed: " + e);
        }
    }

    private void exec(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            reply(ex, 405, "POST only");
            return;
        }
        RunnerProtocol.ExecCall call;
        try (InputStream body = ex.getRequestBody()) {
            call = RunnerProtocol.decodeExec(body);
        } catch (IOException e) {
            reply(ex, 400, "malformed exec request: " + e.getMessage());
            return;
        }
        ExecRequest request = call.request();
        Path cwd = files.resolveDirectory(request.cwd());
        ex.sendResponseHeaders(200, 0);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ex.getResponseBody(), 64 * 1024));
        java.util.concurrent.atomic.AtomicReference<Process> started =
                new java.util.concurrent.atomic.AtomicReference<>();
        OutputListener frames = (channel, chunk) -> {
            synchronized (out) {
                try {
                    RunnerProtocol.writeFrame(
                            out,
                            channel == OutputChannel.STDOUT ? RunnerProtocol.STDOUT : RunnerProtocol.STDERR,
                            chunk);
                    out.flush();
                } catch (IOException e) {
                    // The server went away: nobody will read the result, so stop the command.
                    Process p = started.get();
                    if (p != null) {
                        killTree(p);
                    }
                    throw new UncheckedIOException(e);
                }
            }
        };
        OutputLimiter stdout = new OutputLimiter(OutputChannel.STDOUT, frames, call.outputLimit());
        OutputLimiter stderr = new OutputLimiter(OutputChannel.STDERR, frames, call.outputLimit());
        Termination termination = run(request, cwd, stdout, stderr, started);
        var so = stdout.capture();
        var se = stderr.capture();
        synchronized (out) {
            RunnerProtocol.writeFrame(
                    out,
                    RunnerProtocol.RESULT,
                    RunnerProtocol.encodeEnd(new RunnerProtocol.ExecEnd(
                            termination, so.totalBytes(), so.truncated(), se.totalBytes(), se.truncated())));
            out.flush();
        }
        out.close();
    }

    private Termination run(
            ExecRequest request,
            Path cwd,
            OutputLimiter stdout,
            OutputLimiter stderr,
            java.util.concurrent.atomic.AtomicReference<Process> started) {
        ProcessBuilder pb = new ProcessBuilder(request.command()).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(SandboxEnvironment.BASE);
        env.putAll(request.env());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            byte[] msg = (request.command().getFirst() + ": " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            stderr.accept(msg, 0, msg.length);
            return new Termination.Exited(127);
        }
        running.add(process);
        started.set(process);
        try {
            Thread outPump = pump("runner-stdout", process.getInputStream(), stdout);
            Thread errPump = pump("runner-stderr", process.getErrorStream(), stderr);
            Thread.ofVirtual().name("runner-stdin").start(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(request.stdin());
                } catch (IOException e) {
                    // the command closed stdin early
                }
            });
            boolean finished = process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
                process.waitFor();
            }
            // Background children may hold the pipes open: they die with the command.
            if (!outPump.join(java.time.Duration.ofSeconds(2)) | !errPump.join(java.time.Duration.ofSeconds(2))) {
                killTree(process);
                outPump.join();
                errPump.join();
            }
            if (!finished) {
                return new Termination.TimedOut();
            }
            int code = process.exitValue();
            return switch (code) {
                case 128 + 24 -> new Termination.Killed("cpu-time");
                case 128 + 25 -> new Termination.Killed("file-size");
                default -> new Termination.Exited(code);
            };
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return new Termination.Killed("runner-interrupted");
        } finally {
            running.remove(process);
        }
    }

    private static Thread pump(String name, InputStream in, OutputLimiter sink) {
        return Thread.ofVirtual().name(name).start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sink.accept(buffer, 0, n);
                }
            } catch (IOException | UncheckedIOException e) {
                // closed after a kill, or the client went away
            }
        });
    }

    /**
     * Kills a command and everything it started. Children reparented to the runner (it is PID 1 in
     * its container) are swept too, except those of other running commands.
     */
    private void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (ProcessHandle.current().pid() == 1) {
            Set<Long> active = ConcurrentHashMap.newKeySet();
            for (Process p : running) {
                if (p != process) {
                    active.add(p.pid());
                    p.descendants().forEach(d -> active.add(d.pid()));
                }
            }
            ProcessHandle.current()
                    .children()
                    .filter(c -> !active.contains(c.pid()))
                    .forEach(c -> {
                        c.descendants().forEach(ProcessHandle::destroyForcibly);
                        c.destroyForcibly();
                    });
        }
    }

    private void file(HttpExchange ex) throws IOException {
        String path = query(ex, "path");
        switch (ex.getRequestMethod()) {
            case "GET" -> {
                byte[] content = files.read(path);
                ex.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(content);
                }
            }
            case "PUT" -> {
                try (InputStream in = ex.getRequestBody();
                        OutputStream out = files.openWrite(path, 0644)) {
                    in.transferTo(out);
                }
                reply(ex, 204, "");
            }
            default -> reply(ex, 405, "GET or PUT only");
        }
    }

    private void list(HttpExchange ex) throws IOException {
        List<FileEntry> entries = files.list(query(ex, "path"));
        StringBuilder sb = new StringBuilder();
        for (FileEntry e : entries) {
            sb.append(RunnerProtocol.encodeEntry(e)).append('\n');
        }
        reply(ex, 200, sb.toString());
    }

    private void stat(HttpExchange ex) throws IOException {
        reply(ex, 200, RunnerProtocol.encodeEntry(files.stat(query(ex, "path"))) + "\n");
    }

    private static String query(HttpExchange ex, String name) {
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        throw new InvalidSpecException("query parameter '" + name + "' is required");
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
