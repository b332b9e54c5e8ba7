package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.Enforcement;
import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.MirrorLog;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxKey;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.SandboxUnavailableException;
import dev.drydock.sandbox.SetupStep;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.UnknownSandboxException;
import dev.drydock.sandbox.git.WorkspaceGit;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The local backend ({@code local}): bubblewrap on this host. Requires the {@code bwrap} binary and,
 * when the manager runs as root, {@code setpriv} (util-linux) to give each sandbox its own
 * unprivileged host uid.
 */
public final class BubblewrapSandboxBackend implements SandboxBackend {
    private final SandboxOptions options;
    private final SandboxPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;
    private final HostCgroups cgroups;
    private final boolean root;
    private final Map<SandboxId, BubblewrapSandbox> sandboxes = new ConcurrentHashMap<>();
    private final UidLeases uids;
    // Resolved on first use (see the getters of the same names).
    private volatile @Nullable String bwrapPath;
    private volatile @Nullable HostFiles hostFiles;
    private volatile BuildEnvironment.@Nullable HostCaches hostCaches;
    private final MirrorLog mirrorLog;

    /** What the manager writes once for all of its sandboxes: the generated /etc, the seccomp program and the mirror forwarder. */
    record HostFiles(Path etc, Path seccomp, Path forwarder) {}

    public BubblewrapSandboxBackend(SandboxOptions options, Clock clock) {
        this(options, clock, MirrorLog.NONE);
    }

    /** A backend that reports its sandboxes' requests to package mirrors (and refusals) to {@code mirrorLog}. */
    public BubblewrapSandboxBackend(SandboxOptions options, Clock clock, MirrorLog mirrorLog) {
        this(options, clock, new SecureRandom(), Path.of("/sys/fs/cgroup"), mirrorLog);
    }

    BubblewrapSandboxBackend(SandboxOptions options, Clock clock, RandomGenerator random, Path cgroupRoot) {
        this(options, clock, random, cgroupRoot, MirrorLog.NONE);
    }

    BubblewrapSandboxBackend(
            SandboxOptions options, Clock clock, RandomGenerator random, Path cgroupRoot, MirrorLog mirrorLog) {
        this.mirrorLog = mirrorLog;
        this.options = options;
        this.policy = new SandboxPolicy(options);
        this.clock = clock;
        this.random = random;
        this.root = currentUid() == 0;
        this.uids = new UidLeases(
                UidLeases.DIR, options.local().uidBase(), options.local().uidCount());
        this.cgroups = root
                ? HostCgroups.detect(options.local().cgroups(), cgroupRoot)
                : HostCgroups.none("the manager does not run as root");
        unboundedProcesses(root, cgroups, options.local().allowUnlimitedProcesses())
                .ifPresent(why -> {
                    throw new SandboxUnavailableException(why);
                });
    }

    /**
     * Why the backend must not start: nothing would bound a sandbox's processes (no cgroup pids
     * controller, and no per-sandbox uid for RLIMIT_NPROC because the manager is not root), unless the
     * operator switch allows it.
     */
    static java.util.Optional<String> unboundedProcesses(boolean root, HostCgroups cgroups, boolean allowed) {
        if (root || cgroups.version() != HostCgroups.Version.NONE || allowed) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                "the local sandbox backend cannot bound the number of processes of a sandbox on this host ("
                        + cgroups.whyNone()
                        + ", and without root there is no per-sandbox uid for RLIMIT_NPROC): a fork bomb would reach the whole host. "
                        + "Run the server as root, or set "
                        + SandboxKey.LOCAL_ALLOW_UNLIMITED_PROCESSES.key()
                        + "=true to accept that risk");
    }

    @Override
    public String name() {
        return "local";
    }

    HostCgroups cgroups() {
        return cgroups;
    }

    /** The resolved bubblewrap binary. */
    String bwrapPath() {
        String path = bwrapPath;
        if (path == null) {
            path = resolveBinary(options.local().bwrap())
                    .orElseThrow(() -> new SandboxUnavailableException("bubblewrap not found ('"
                            + options.local().bwrap() + "'): install it (apt-get install -y bubblewrap) or set "
                            + SandboxKey.LOCAL_BWRAP.key()));
            if (root && resolveBinary("setpriv").isEmpty()) {
                throw new SandboxUnavailableException(
                        "setpriv (util-linux) not found: needed to drop root for sandboxes");
            }
            bwrapPath = path;
        }
        return path;
    }

    /** The generated /etc and seccomp program under the work root, written on first use. */
    HostFiles hostFiles() {
        HostFiles f = hostFiles;
        if (f == null) {
            synchronized (this) {
                f = hostFiles;
                if (f == null) {
                    Path dir = options.local().workRoot().resolve("host-files");
                    byte[] program = SeccompFilter.program(SeccompFilter.hostArch());
                    Path etc = SandboxEtc.write(dir.resolve("etc"));
                    Path seccomp = dir.resolve("seccomp.bpf");
                    Path forwarder = dir.resolve("forward.pl");
                    try {
                        Path tmp = Files.createTempFile(dir, "seccomp", ".tmp");
                        Files.write(tmp, program);
                        Files.move(
                                tmp,
                                seccomp,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        try (var in = BubblewrapSandboxBackend.class.getResourceAsStream("forward.pl")) {
                            Path t = Files.createTempFile(dir, "forward", ".tmp");
                            Files.write(
                                    t,
                                    java.util.Objects.requireNonNull(in, "forward.pl resource")
                                            .readAllBytes());
                            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                            Files.move(
                                    t,
                                    forwarder,
                                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    } catch (IOException e) {
                        throw new SandboxException(
                                "cannot write the seccomp program and mirror forwarder under " + dir + ": "
                                        + e.getMessage(),
                                e);
                    }
                    f = new HostFiles(etc, seccomp, forwarder);
                    hostFiles = f;
                }
            }
        }
        return f;
    }

    /** The host user's caches as sandboxes see them (shared as hard-link trees when sandboxes have their own uids), found on first use. */
    BuildEnvironment.HostCaches hostCaches() {
        BuildEnvironment.HostCaches c = hostCaches;
        if (c == null) {
            synchronized (this) {
                c = hostCaches;
                if (c == null) {
                    c = options.local().hostBuildCaches()
                            ? BuildEnvironment.discover(
                                    Path.of(System.getProperty("user.home")),
                                    root
                                            ? java.util.Optional.of(options.local()
                                                    .workRoot()
                                                    .resolve("host-files")
                                                    .resolve("caches"))
                                            : java.util.Optional.empty())
                            : BuildEnvironment.HostCaches.NONE;
                    hostCaches = c;
                }
            }
        }
        return c;
    }

    @Override
    public Sandbox create(SandboxSpec spec) {
        policy.check(spec);
        bwrapPath();
        hostFiles();
        BuildEnvironment.HostCaches caches = hostCaches();
        SandboxId id = SandboxId.random(random);
        Path dir = options.local().workRoot().resolve(id.value());
        OptionalInt uid = root ? OptionalInt.of(allocateUid()) : OptionalInt.empty();
        HostCgroups.ExecGroup group;
        try {
            group = cgroups.create(id.value(), spec.limits());
        } catch (IllegalStateException e) {
            uid.ifPresent(this::releaseUid);
            throw new SandboxUnavailableException(e.getMessage(), e);
        }
        BubblewrapSandbox sandbox =
                new BubblewrapSandbox(id, spec, clock.instant().plus(spec.ttl()), dir, uid, this, group);
        try {
            Files.createDirectories(options.local().workRoot());
            if (uid.isPresent()) {
                checkTraversable(options.local().workRoot());
            }
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            Path workspace = Files.createDirectory(sandbox.workspacePath());
            sandboxes.put(id, sandbox);
            if (spec.source().isPresent()) {
                sandbox.baseCommit(WorkspaceGit.checkout(spec.source().get(), workspace, sandbox.baseRepo()));
            }
            Path home = Files.createDirectory(sandbox.homePath());
            List<PackageMirror> mirrors = spec.mirrors();
            if (spec.mirror(PackageMirror.Kind.MAVEN).isPresent()) {
                // dependencies only from the chosen mirror: the host's repository and settings stay out
                caches = new BuildEnvironment.HostCaches(
                        java.util.Optional.empty(),
                        caches.m2Wrapper(),
                        java.util.Optional.empty(),
                        caches.npmrc(),
                        caches.pipConf());
            }
            BuildEnvironment.Prepared prepared =
                    BuildEnvironment.prepare(home, caches, workspace, Path.of("/usr/lib/jvm"));
            List<DependencyCaches.Cache> dependencyCaches = List.of();
            if (!mirrors.isEmpty()) {
                dependencyCaches = spec.cacheRoot()
                        .map(r -> DependencyCaches.of(r, workspace, mirrors))
                        .orElse(List.of());
                MirrorEnvironment.write(
                        home,
                        mirrors,
                        dependencyCaches,
                        spec.setup().map(SetupStep::secretEnv).orElse(Map.of()));
                MirrorProxy proxy = MirrorProxy.start(
                        dir.resolve("proxy.sock"),
                        uid,
                        mirrors,
                        mirrorLog,
                        id.value(),
                        spec.sessionId(),
                        spec.workspaceId());
                sandbox.proxy(proxy);
                List<BwrapCommand.Bind> binds = new ArrayList<>(prepared.binds());
                binds.add(new BwrapCommand.Bind(proxy.socket().toString(), MirrorProxy.SOCKET, false, false));
                binds.add(
                        new BwrapCommand.Bind(hostFiles().forwarder().toString(), MirrorProxy.FORWARDER, false, false));
                for (DependencyCaches.Cache c : dependencyCaches) {
                    if (c.warm()) {
                        binds.add(new BwrapCommand.Bind(
                                c.folder().toString(), c.tool().mount(), false, false));
                    }
                }
                Map<String, String> env =
                        new java.util.LinkedHashMap<>(MirrorEnvironment.env(mirrors, dependencyCaches));
                env.putAll(prepared.env());
                prepared = new BuildEnvironment.Prepared(binds, env);
            }
            sandbox.buildEnvironment(prepared);
            if (uid.isPresent()) {
                chownTree(workspace, uid.getAsInt());
                chownTree(home, uid.getAsInt());
            }
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwx------"));
            sandbox.quota().measure();
            if (spec.setup().isPresent()) {
                runSetup(sandbox, spec.setup().get());
                for (DependencyCaches.Cache c : dependencyCaches) {
                    DependencyCaches.fill(c, home);
                }
            }
            return sandbox;
        } catch (IOException e) {
            sandbox.destroy();
            throw new SandboxException("cannot create sandbox directory " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            sandbox.destroy();
            throw e;
        }
    }

    private static void runSetup(BubblewrapSandbox sandbox, SetupStep step) {
        Map<String, String> env = new java.util.LinkedHashMap<>(step.secretEnv());
        env.putAll(MirrorEnvironment.setupEnv(sandbox.spec().mirrors(), step.secretEnv()));
        ExecResult result;
        sandbox.setupRunning(true);
        try {
            result = sandbox.exec(ExecRequest.of(step.command()).withEnv(env).withTimeout(step.timeout()));
        } finally {
            sandbox.setupRunning(false);
        }
        if (!(result.termination() instanceof Termination.Exited e && e.code() == 0)) {
            // build tools report on either stream (Maven -q on stdout): the end of both
            String out = (result.stdout().text().strip() + "\n"
                            + result.stderr().text().strip())
                    .strip();
            throw new SandboxException("setup step failed (" + result.statusLine() + "): "
                    + out.substring(Math.max(0, out.length() - 3000)));
        }
    }

    @Override
    public Sandbox get(SandboxId id) {
        BubblewrapSandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new UnknownSandboxException(id);
        }
        if (!clock.instant().isBefore(sandbox.expiresAt())) {
            sandbox.destroy();
            throw new UnknownSandboxException("sandbox " + id.value() + " expired at " + sandbox.expiresAt());
        }
        return sandbox;
    }

    @Override
    public List<Sandbox> list() {
        return List.copyOf(sandboxes.values());
    }

    @Override
    public int reapExpired() {
        Instant now = clock.instant();
        int reaped = 0;
        for (BubblewrapSandbox s : List.copyOf(sandboxes.values())) {
            if (!now.isBefore(s.expiresAt())) {
                s.destroy();
                reaped++;
            }
        }
        return reaped;
    }

    @Override
    public List<Enforcement> enforcement() {
        List<Enforcement> e = new ArrayList<>();
        e.add(new Enforcement("network", true, "bubblewrap --unshare-net (new network namespace, loopback only)"));
        e.add(
                new Enforcement(
                        "filesystem",
                        true,
                        "read-only bind of /usr, a generated /etc (own passwd/group/hosts, host CA certificates), workspace bind, a writable home of its own, private tmpfs /tmp, no host /home, /root, /var, /sys"));
        e.add(new Enforcement(
                "build-caches",
                options.local().hostBuildCaches(),
                options.local().hostBuildCaches()
                        ? "host Maven repository and wrapper read-only, settings without credentials (ADR 0011)"
                        : "off: " + SandboxKey.LOCAL_HOST_BUILD_CACHES.key() + "=false"));
        e.add(new Enforcement(
                "privileges", true, "user namespace, all capabilities dropped, nested user namespaces disabled"));
        e.add(
                new Enforcement(
                        "syscalls",
                        true,
                        "seccomp filter: keyrings, ptrace, mount, namespaces, bpf, perf, userfaultfd, io_uring, kexec, modules and x32 denied"));
        e.add(new Enforcement(
                "host-uid",
                root,
                root
                        ? "setpriv to a per-sandbox host uid from "
                                + options.local().uidBase()
                        : "runs as the server's own uid"));
        switch (cgroups.version()) {
            case V2, V1 -> {
                String v = cgroups.version() == HostCgroups.Version.V2 ? "cgroup v2" : "cgroup v1";
                e.add(new Enforcement(
                        "processes", true, v + " pids.max" + (root ? " and RLIMIT_NPROC per sandbox uid" : "")));
                e.add(new Enforcement(
                        "memory",
                        true,
                        v + (cgroups.version() == HostCgroups.Version.V2 ? " memory.max" : " memory.limit_in_bytes")
                                + " for the whole command tree"));
                e.add(new Enforcement(
                        "cpu-rate",
                        cgroups.cpuQuota(),
                        cgroups.cpuQuota()
                                ? v + " cpu quota (applied when the limit is below the host's cores)"
                                : "no cpu controller"));
            }
            case NONE -> {
                e.add(new Enforcement(
                        "processes",
                        root,
                        root
                                ? "RLIMIT_NPROC per sandbox uid"
                                : "RLIMIT_NPROC cannot be used for the server's own uid; " + cgroups.whyNone()));
                e.add(new Enforcement("memory", true, "RLIMIT_AS per process (" + cgroups.whyNone() + ")"));
                e.add(new Enforcement("cpu-rate", false, cgroups.whyNone()));
            }
        }
        e.add(new Enforcement("cpu-time", true, "RLIMIT_CPU per process"));
        e.add(new Enforcement("file-size", true, "RLIMIT_FSIZE per process"));
        e.add(new Enforcement("tmp-size", true, "tmpfs size of /tmp"));
        e.add(new Enforcement(
                "disk",
                true,
                "workspace quota (ephemeral storage) by usage accounting at least every "
                        + DiskQuota.MIN_PERIOD.toSeconds()
                        + " s while commands run: killed:disk-quota, file API writes refused (ADR 0008)"));
        return e;
    }

    @Override
    public void close() {
        for (BubblewrapSandbox s : List.copyOf(sandboxes.values())) {
            s.destroy();
        }
    }

    void forget(BubblewrapSandbox sandbox) {
        sandboxes.remove(sandbox.id());
        sandbox.hostUid().ifPresent(this::releaseUid);
    }

    /** The sandbox's uid must be able to reach its workspace for bubblewrap to bind it. */
    private static void checkTraversable(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new SandboxUnavailableException("sandbox work root " + dir + " is not reachable by sandbox uids: "
                        + p + " lacks o+x (chmod o+x " + p + ")");
            }
        }
    }

    private int allocateUid() {
        return uids.acquire();
    }

    private void releaseUid(int uid) {
        uids.release(uid);
    }

    private static void chownTree(Path root, int uid) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                own(d, uid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                own(f, uid);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void own(Path p, int uid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    static java.util.Optional<String> resolveBinary(String name) {
        if (name.contains("/")) {
            return Files.isExecutable(Path.of(name)) ? java.util.Optional.of(name) : java.util.Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate.toString());
            }
        }
        return java.util.Optional.empty();
    }

    static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
