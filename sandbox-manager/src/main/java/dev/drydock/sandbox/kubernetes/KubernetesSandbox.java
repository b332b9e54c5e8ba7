package dev.drydock.sandbox.kubernetes;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.OutputListener;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxDestroyedException;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.runner.RunnerClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A sandbox pod, reached through its tool runner. */
final class KubernetesSandbox implements Sandbox {
    private final SandboxId id;
    private final SandboxSpec spec;
    private final Instant expiresAt;
    private final Map<String, String> labels;
    private final RunnerClient runner;
    private final KubernetesSandboxBackend backend;
    private volatile Optional<String> baseCommit;
    private volatile boolean destroyed;

    KubernetesSandbox(
            SandboxId id,
            SandboxSpec spec,
            Instant expiresAt,
            Map<String, String> labels,
            RunnerClient runner,
            Optional<String> baseCommit,
            KubernetesSandboxBackend backend) {
        this.id = id;
        this.spec = spec;
        this.expiresAt = expiresAt;
        this.labels = Map.copyOf(labels);
        this.runner = runner;
        this.baseCommit = baseCommit;
        this.backend = backend;
    }

    String diffBase() {
        return baseCommit.orElse("");
    }

    void baseCommit(String commit) {
        baseCommit = Optional.of(commit);
    }

    @Override
    public SandboxId id() {
        return id;
    }

    @Override
    public SandboxSpec spec() {
        return spec;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkLive() {
        if (destroyed) {
            throw new SandboxDestroyedException(id);
        }
    }

    @Override
    public ExecResult exec(ExecRequest request, OutputListener listener) {
        checkLive();
        ExecResult result = runner.exec(request, spec.limits().outputLimitBytes(), listener);
        if (destroyed && !(result.termination() instanceof Termination.Exited)) {
            return new ExecResult(
                    new Termination.Killed("destroyed"), result.stdout(), result.stderr(), result.elapsed());
        }
        return result;
    }

    @Override
    public byte[] readFile(String path) {
        checkLive();
        return runner.read(path);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        checkLive();
        runner.write(path, content);
    }

    @Override
    public List<FileEntry> list(String directory) {
        checkLive();
        return runner.list(directory);
    }

    @Override
    public FileEntry stat(String path) {
        checkLive();
        return runner.stat(path);
    }

    /** Extraction runs in the pod with GNU tar, which refuses {@code ..} and absolute members. */
    @Override
    public void uploadTar(String directory, InputStream tar) {
        checkLive();
        byte[] bytes;
        try {
            bytes = tar.readNBytes(ExecRequest.MAX_STDIN_BYTES + 1);
        } catch (IOException e) {
            throw new SandboxException("cannot read tar stream: " + e.getMessage(), e);
        }
        if (bytes.length > ExecRequest.MAX_STDIN_BYTES) {
            throw new SandboxException("tar upload larger than " + ExecRequest.MAX_STDIN_BYTES + " bytes");
        }
        ExecResult r =
                exec(ExecRequest.of("tar", "-x", "-f", "-", "--no-same-owner", "--no-same-permissions", "-C", ".")
                        .withCwd(directory)
                        .withStdin(bytes)
                        .withTimeout(Duration.ofMinutes(5)));
        if (r.exitCode() != 0) {
            throw new SandboxException(
                    "tar upload failed (" + r.statusLine() + "): " + r.stderr().text());
        }
    }

    @Override
    public void downloadTar(String directory, OutputStream out) {
        checkLive();
        ExecResult r = runner.exec(
                ExecRequest.of("tar", "-c", "-f", "-", ".").withCwd(directory).withTimeout(Duration.ofMinutes(5)),
                Integer.MAX_VALUE - 1024,
                (channel, chunk) -> {
                    if (channel == dev.drydock.sandbox.OutputChannel.STDOUT) {
                        try {
                            out.write(chunk);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
        if (r.exitCode() != 0) {
            throw new SandboxException("tar download failed (" + r.statusLine() + "): "
                    + r.stderr().text());
        }
    }

    /** Runs git in the pod with a throw-away index, so untracked files are included and nothing changes. */
    @Override
    public String diff() {
        checkLive();
        if (baseCommit.isEmpty()) {
            return "";
        }
        String script = "export GIT_INDEX_FILE=/tmp/.drydock-diff-index; rm -f \"$GIT_INDEX_FILE\"; "
                + "g() { git -c core.hooksPath=/dev/null -c core.fsmonitor=false \"$@\"; }; "
                + "base=$1; shift; g read-tree \"$base\" && g add -A . && g diff --cached --binary \"$base\" -- . \"$@\"; rc=$?; rm -f \"$GIT_INDEX_FILE\"; exit $rc";
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "drydock-diff", baseCommit.get()));
        // Withheld paths the sandbox created anyway stay out of the diff (git's glob pathspecs: '*' within a segment,
        // '**' across).
        spec.source().ifPresent(source -> source.withheld().forEach(p -> command.add(":(exclude,glob)" + p.glob())));
        ExecResult r = runner.exec(
                ExecRequest.of(command.toArray(String[]::new)).withTimeout(Duration.ofMinutes(2)),
                64 << 20,
                OutputListener.NONE);
        if (r.exitCode() != 0) {
            throw new SandboxException(
                    "diff failed (" + r.statusLine() + "): " + r.stderr().text());
        }
        return r.stdout().text();
    }

    @Override
    public void destroy() {
        synchronized (this) {
            if (destroyed) {
                return;
            }
            destroyed = true;
        }
        backend.deleteResources(id);
    }

    @Override
    public String toString() {
        return "KubernetesSandbox[" + id + ", session=" + labels.get(SandboxLabels.SESSION_ID) + "]";
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
