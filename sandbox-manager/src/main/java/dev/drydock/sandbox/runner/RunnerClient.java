package dev.drydock.sandbox.runner;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.OutputCapture;
import dev.drydock.sandbox.OutputChannel;
import dev.drydock.sandbox.OutputListener;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxUnavailableException;
import dev.drydock.sandbox.Termination;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The server side of the runner protocol: one client per sandbox. */
public final class RunnerClient {
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final String authorization;

    public RunnerClient(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.authorization = "Bearer " + token;
    }

    /** Whether the runner answers its health check. */
    public boolean healthy() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("/v1/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command; see {@link dev.drydock.sandbox.Sandbox#exec}. */
    public ExecResult exec(ExecRequest request, int outputLimit, OutputListener listener) {
        long start = System.nanoTime();
        HttpRequest http = authorized("/v1/exec")
                .timeout(request.timeout().plus(GRACE))
                .POST(HttpRequest.BodyPublishers.ofByteArray(RunnerProtocol.encodeExec(request, outputLimit)))
                .build();
        HttpResponse<InputStream> response = send(http, HttpResponse.BodyHandlers.ofInputStream());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (DataInputStream in = new DataInputStream(response.body())) {
            if (response.statusCode() != 200) {
                throw error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            while (true) {
                byte type;
                try {
                    type = in.readByte();
                } catch (EOFException e) {
                    return lost(out, err, start);
                }
                int length = in.readInt();
                byte[] payload = in.readNBytes(length);
                if (payload.length != length) {
                    return lost(out, err, start);
                }
                switch (type) {
                    case RunnerProtocol.STDOUT -> {
                        out.write(payload);
                        listener.onOutput(OutputChannel.STDOUT, payload);
                    }
                    case RunnerProtocol.STDERR -> {
                        err.write(payload);
                        listener.onOutput(OutputChannel.STDERR, payload);
                    }
                    case RunnerProtocol.RESULT -> {
                        RunnerProtocol.ExecEnd end = RunnerProtocol.decodeEnd(payload);
                        return new ExecResult(
                                end.termination(),
                                new OutputCapture(
                                        out.toString(StandardCharsets.UTF_8), end.stdoutTotal(), end.stdoutTruncated()),
                                new OutputCapture(
                                        err.toString(StandardCharsets.UTF_8), end.stderrTotal(), end.stderrTruncated()),
                                Duration.ofNanos(System.nanoTime() - start));
                    }
                    default -> throw new SandboxException("runner sent unknown frame type " + type);
                }
            }
        } catch (IOException e) {
            return lost(out, err, start);
        }
    }

    private static ExecResult lost(ByteArrayOutputStream out, ByteArrayOutputStream err, long start) {
        return new ExecResult(
                new Termination.Killed("runner-lost"),
                new OutputCapture(out.toString(StandardCharsets.UTF_8), out.size(), false),
                new OutputCapture(err.toString(StandardCharsets.UTF_8), err.size(), false),
                Duration.ofNanos(System.nanoTime() - start));
    }

    public byte[] read(String path) {
        HttpResponse<byte[]> r =
                send(authorized("/v1/files?path=" + enc(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), r.body());
        return r.body();
    }

    public void write(String path, byte[] content) {
        HttpResponse<byte[]> r = send(
                authorized("/v1/files?path=" + enc(path))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), r.body());
    }

    public List<FileEntry> list(String path) {
        HttpResponse<byte[]> r =
                send(authorized("/v1/list?path=" + enc(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), r.body());
        return new String(r.body(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isEmpty())
                .map(RunnerProtocol::decodeEntry)
                .toList();
    }

    public FileEntry stat(String path) {
        HttpResponse<byte[]> r =
                send(authorized("/v1/stat?path=" + enc(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), r.body());
        return RunnerProtocol.decodeEntry(new String(r.body(), StandardCharsets.UTF_8).strip());
    }

    private HttpRequest.Builder authorized(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .header("Authorization", authorization)
                .timeout(Duration.ofMinutes(2));
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new SandboxUnavailableException("sandbox runner at " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while talking to the sandbox runner", e);
        }
    }

    private static void check(int status, byte[] body) {
        if (status >= 300) {
            throw error(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static SandboxException error(int status, String message) {
        return switch (status) {
            case 401 -> new SandboxUnavailableException("sandbox runner refused the token: " + message);
            case 403 -> PathEscapeException.remote(message);
            case 400 -> new InvalidSpecException(message);
            default -> new SandboxException("sandbox runner: " + status + " " + message);
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
