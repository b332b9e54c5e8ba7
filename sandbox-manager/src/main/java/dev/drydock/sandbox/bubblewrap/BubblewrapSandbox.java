package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.OutputListener;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxDestroyedException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.WorkspaceSource;
import dev.drydock.sandbox.archive.WorkspaceTar;
import dev.drydock.sandbox.git.WorkspaceGit;
import dev.drydock.sandbox.workspace.WorkspaceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** A local sandbox: a directory on the host, a launcher in its cgroups, and one bubblewrap sandbox per command. */
final class BubblewrapSandbox implements Sandbox {
    private final SandboxId id;
    private final SandboxSpec spec;
    private final Instant expiresAt;
    private final Path dir;
    private final Path workspace;
    private final OptionalInt hostUid;
    private final BubblewrapSandboxBackend backend;
    private final HostCgroups.ExecGroup group;
    private volatile @Nullable WorkspaceFiles files; // made on first use
    private final AtomicLong execCounter = new AtomicLong();
    private @Nullable SandboxLauncher launcher; // started on first exec, guarded by this
    private volatile Optional<String> baseCommit = Optional.empty();
    private volatile boolean destroyed;
    private final DiskQuota quota;
    private volatile BuildEnvironment.Prepared build = new BuildEnvironment.Prepared(List.of(), Map.of());
    private volatile @Nullable MirrorProxy proxy;

    BubblewrapSandbox(
            SandboxId id,
            SandboxSpec spec,
            Instant expiresAt,
            Path dir,
            OptionalInt hostUid,
            BubblewrapSandboxBackend backend,
            HostCgroups.ExecGroup group) {
        this.group = group;
        this.id = id;
        this.spec = spec;
        this.expiresAt = expiresAt;
        this.dir = dir;
        this.workspace = dir.resolve("workspace");
        this.hostUid = hostUid;
        this.backend = backend;
        this.quota = new DiskQuota(
                List.of(workspace, homePath()), spec.limits().ephemeralStorageBytes(), this::killCommands);
    }

    /** The workspace's disk quota (measured once the workspace is filled). */
    DiskQuota quota() {
        return quota;
    }

    private synchronized void killCommands() {
        if (launcher != null) {
            launcher.killAll();
        }
    }

    private WorkspaceFiles files() {
        WorkspaceFiles f = files;
        if (f == null) {
            f = new WorkspaceFiles(workspace, hostUid);
            files = f;
        }
        return f;
    }

    Path workspacePath() {
        return workspace;
    }

    /** The sandbox's writable home on the host (bound at {@link BuildEnvironment#HOME}; counted in the disk quota). */
    Path homePath() {
        return dir.resolve("home");
    }

    /** The sandbox's mirror proxy: every command then starts behind the forwarder. */
    void proxy(MirrorProxy p) {
        this.proxy = p;
    }

    /** Marks mirror requests as the setup step's while it runs. */
    void setupRunning(boolean running) {
        MirrorProxy p = proxy;
        if (p != null) {
            p.setup(running);
        }
    }

    void buildEnvironment(BuildEnvironment.Prepared prepared) {
        this.build = prepared;
    }

    Path baseRepo() {
        return dir.resolve("base.git");
    }

    void baseCommit(String commit) {
        this.baseCommit = Optional.of(commit);
    }

    /** The host uid the sandbox's processes run as, when the manager runs as root. */
    OptionalInt hostUid() {
        return hostUid;
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
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SandboxLabels.MANAGED_BY, SandboxLabels.MANAGED_BY_VALUE);
        labels.put(SandboxLabels.SANDBOX_ID, id.value());
        labels.put(SandboxLabels.SESSION_ID, spec.sessionId());
        labels.put(SandboxLabels.WORKSPACE_ID, spec.workspaceId());
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
        Path cwd = files().resolveDirectory(request.cwd());
        String inside = BwrapCommand.WORKSPACE + (cwd.equals(workspace) ? "" : "/" + files().relative(cwd));
        Map<String, String> env = new HashMap<>(BwrapCommand.baseEnvironment());
        env.putAll(build.env());
        env.putAll(request.env());
        long oomBefore = group.oomKills();
        long quotaBefore = quota.kills();
        SandboxLauncher launcher = launcher();
        SandboxLauncher.Outcome outcome;
        quota.commandStarted();
        try {
            outcome = launcher.run(
                    command(inside, env, request.command()).commandArgv(),
                    request.stdin(),
                    request.timeout(),
                    listener,
                    spec.limits().outputLimitBytes());
        } finally {
            quota.commandEnded();
        }
        Termination termination = termination(outcome, group.oomKills() > oomBefore, quota.kills() > quotaBefore);
        return new ExecResult(
                termination,
                outcome.stdout().capture(),
                outcome.stderr().capture(),
                Duration.ofNanos(outcome.elapsedNanos()));
    }

    private BwrapCommand command(String cwd, Map<String, String> env, List<String> command) {
        if (proxy != null && !command.isEmpty()) {
            List<String> behind = new java.util.ArrayList<>(
                    List.of("/usr/bin/perl", MirrorProxy.FORWARDER, MirrorProxy.SOCKET, "--"));
            behind.addAll(command);
            command = behind;
        }
        return new BwrapCommand(
                backend.bwrapPath(),
                workspace,
                cwd,
                env,
                spec.limits(),
                hostUid,
                group.version() == HostCgroups.Version.NONE,
                backend.hostFiles().etc(),
                true,
                build.binds(),
                command);
    }

    /** The sandbox's launcher, started on first use and again if it has ended. */
    private synchronized SandboxLauncher launcher() {
        checkLive();
        if (launcher == null || !launcher.isAlive()) {
            if (launcher != null) {
                launcher.close();
            }
            BwrapCommand shape = command(BwrapCommand.WORKSPACE, Map.of(), List.of("true"));
            launcher = SandboxLauncher.start(
                    dir.resolve("launcher"),
                    backend.hostFiles().seccomp(),
                    group.procsFiles(),
                    shape.ulimits(),
                    shape.launcherPrefix());
        }
        return launcher;
    }

    /** The sandbox's cgroups (tests measure them). */
    HostCgroups.ExecGroup execGroup() {
        return group;
    }

    /** The launcher's host pid while it runs (tests). */
    synchronized java.util.OptionalLong launcherPid() {
        return launcher != null && launcher.isAlive()
                ? java.util.OptionalLong.of(launcher.pid())
                : java.util.OptionalLong.empty();
    }

    private Termination termination(SandboxLauncher.Outcome outcome, boolean oomKilled, boolean quotaKilled) {
        if (destroyed) {
            return new Termination.Killed("destroyed");
        }
        if (outcome.timedOut()) {
            return new Termination.TimedOut();
        }
        if (quotaKilled) {
            return new Termination.Killed("disk-quota");
        }
        if (oomKilled) {
            return new Termination.Killed("memory");
        }
        if (outcome.exitCode().isEmpty()) {
            return new Termination.Killed("launcher-lost");
        }
        return switch (outcome.exitCode().getAsInt()) {
            case 128 + 24 -> new Termination.Killed("cpu-time");
            case 128 + 25 -> new Termination.Killed("file-size");
            default -> new Termination.Exited(outcome.exitCode().getAsInt());
        };
    }

    @Override
    public byte[] readFile(String path) {
        checkLive();
        return files().read(path);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        checkLive();
        quota.checkWrite(content.length);
        files().write(path, content);
    }

    @Override
    public List<FileEntry> list(String directory) {
        checkLive();
        return files().list(directory);
    }

    @Override
    public FileEntry stat(String path) {
        checkLive();
        return files().stat(path);
    }

    @Override
    public void uploadTar(String directory, InputStream tar) {
        checkLive();
        WorkspaceTar.extract(files(), directory, quota.bounded(tar));
    }

    @Override
    public void downloadTar(String directory, OutputStream tar) {
        checkLive();
        WorkspaceTar.create(files(), directory, tar);
    }

    @Override
    public String diff() {
        checkLive();
        return baseCommit
                .map(c -> WorkspaceGit.diff(
                        baseRepo(),
                        c,
                        workspace,
                        spec.source().map(WorkspaceSource::withheld).orElse(List.of()),
                        spec.limits().outputLimitBytes()))
                .orElse("");
    }

    @Override
    public void destroy() {
        synchronized (this) {
            if (destroyed) {
                return;
            }
            destroyed = true;
        }
        synchronized (this) {
            if (launcher != null) {
                launcher.close();
            }
        }
        MirrorProxy p = proxy;
        if (p != null) {
            p.close();
        }
        group.killAll(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        group.remove();
        deleteTree(dir);
        backend.forget(this);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    // a command may have removed the owner's write bit
                    d.toFile().setWritable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new dev.drydock.sandbox.SandboxException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
