package dev.drydock.sandbox.runner;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.Termination;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire format between the server and the tool runner, version 1 (ADR 0002).
 *
 * <ul>
 *   <li>{@code GET /v1/health}: {@code 200 ok}, unauthenticated (kubelet probes).
 *   <li>{@code POST /v1/exec}: body is an encoded {@link ExecRequest} plus the output limit; the
 *       response streams frames {@code [type:1][length:4][payload]}: {@link #STDOUT}, {@link
 *       #STDERR}, and exactly one final {@link #RESULT}. A response that ends without a result frame
 *       means the runner was lost.
 *   <li>{@code GET|PUT /v1/files?path=P}, {@code GET /v1/list?path=P}, {@code GET /v1/stat?path=P}.
 * </ul>
 *
 * Every request except health carries {@code Authorization: Bearer <per-sandbox token>}. Errors
 * are plain text with 400 (bad request), 401 (token), 403 (path escape), 404 (missing).
 */
public final class RunnerProtocol {
    public static final int VERSION = 1;
    public static final byte STDOUT = 1;
    public static final byte STDERR = 2;
    public static final byte RESULT = 3;
    public static final String TOKEN_ENV = "DRYDOCK_RUNNER_TOKEN";
    public static final String PORT_ENV = "DRYDOCK_RUNNER_PORT";
    public static final String WORKSPACE_ENV = "DRYDOCK_WORKSPACE";

    private RunnerProtocol() {}

    /** An exec request as the runner receives it. */
    public record ExecCall(ExecRequest request, int outputLimit) {}

    /** The final frame. */
    public record ExecEnd(
            Termination termination,
            long stdoutTotal,
            boolean stdoutTruncated,
            long stderrTotal,
            boolean stderrTruncated) {}

    public static byte[] encodeExec(ExecRequest r, int outputLimit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeInt(r.command().size());
            for (String arg : r.command()) {
                writeString(out, arg);
            }
            writeString(out, r.cwd());
            out.writeInt(r.env().size());
            for (Map.Entry<String, String> e : r.env().entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeLong(r.timeout().toMillis());
            out.writeInt(outputLimit);
            byte[] stdin = r.stdin();
            out.writeInt(stdin.length);
            out.write(stdin);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static ExecCall decodeExec(InputStream body) throws IOException {
        DataInputStream in = new DataInputStream(body);
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported protocol version " + version);
        }
        int argc = bounded(in.readInt(), 100_000, "argc");
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < argc; i++) {
            argv.add(readString(in));
        }
        String cwd = readString(in);
        int envc = bounded(in.readInt(), 100_000, "env size");
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < envc; i++) {
            env.put(readString(in), readString(in));
        }
        long timeoutMillis = in.readLong();
        int outputLimit = in.readInt();
        byte[] stdin = in.readNBytes(bounded(in.readInt(), ExecRequest.MAX_STDIN_BYTES, "stdin"));
        return new ExecCall(new ExecRequest(argv, cwd, env, Duration.ofMillis(timeoutMillis), stdin), outputLimit);
    }

    public static byte[] encodeEnd(ExecEnd end) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (end.termination()) {
                case Termination.Exited e -> {
                    out.writeByte(0);
                    out.writeInt(e.code());
                    writeString(out, "");
                }
                case Termination.TimedOut t -> {
                    out.writeByte(1);
                    out.writeInt(-1);
                    writeString(out, "");
                }
                case Termination.Killed k -> {
                    out.writeByte(2);
                    out.writeInt(-1);
                    writeString(out, k.reason());
                }
            }
            out.writeLong(end.stdoutTotal());
            out.writeBoolean(end.stdoutTruncated());
            out.writeLong(end.stderrTotal());
            out.writeBoolean(end.stderrTruncated());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static ExecEnd decodeEnd(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        byte kind = in.readByte();
        int code = in.readInt();
        String reason = readString(in);
        Termination t = switch (kind) {
            case 0 -> new Termination.Exited(code);
            case 1 -> new Termination.TimedOut();
            case 2 -> new Termination.Killed(reason);
            default -> throw new IOException("unknown termination kind " + kind);
        };
        return new ExecEnd(t, in.readLong(), in.readBoolean(), in.readLong(), in.readBoolean());
    }

    /** Writes one frame. */
    public static void writeFrame(DataOutputStream out, byte type, byte[] payload) throws IOException {
        out.writeByte(type);
        out.writeInt(payload.length);
        out.write(payload);
    }

    /** Encodes one listing line: {@code TYPE\tSIZE\tMODE\tMILLIS\tPATH}. */
    public static String encodeEntry(FileEntry e) {
        return e.type() + "\t" + e.size() + "\t" + e.mode() + "\t"
                + e.modified().toEpochMilli() + "\t" + URLEncoder.encode(e.path(), StandardCharsets.UTF_8);
    }

    public static FileEntry decodeEntry(String line) {
        String[] f = line.split("\t", 5);
        if (f.length != 5) {
            throw new SandboxException("malformed entry from runner: " + line);
        }
        return new FileEntry(
                URLDecoder.decode(f[4], StandardCharsets.UTF_8),
                FileEntry.Type.valueOf(f[0]),
                Long.parseLong(f[1]),
                Integer.parseInt(f[2]),
                Instant.ofEpochMilli(Long.parseLong(f[3])));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = bounded(in.readInt(), ExecRequest.MAX_COMMAND_BYTES, "string");
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static int bounded(int n, int max, String what) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException(what + " out of range: " + n);
        }
        return n;
    }
}
