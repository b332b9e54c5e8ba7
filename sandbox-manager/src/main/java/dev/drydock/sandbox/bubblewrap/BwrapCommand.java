package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Pure builder of what runs one command in a sandbox. A {@link SandboxLauncher}, already in the
 * sandbox's cgroups, starts every command as:
 *
 * <pre>
 * (ulimit …) [setpriv --reuid U --regid U --clear-groups --inh-caps=-all --bounding-set=-all --] \
 *     bwrap --unshare-all --disable-userns … --seccomp 4 --json-status-fd 3 --chdir CWD --clearenv --setenv … -- COMMAND…
 * </pre>
 *
 * The rlimits are set in the launcher's subshell, setpriv drops to the sandbox's unprivileged host
 * uid, then bubblewrap builds the namespaces.
 *
 * @param bwrap the bubblewrap binary
 * @param workspace host directory bound read-write at {@link #WORKSPACE}
 * @param cwd working directory inside the sandbox, absolute
 * @param env the complete environment inside the sandbox
 * @param limits limits to apply with rlimits and the tmpfs size
 * @param hostUid host uid to drop to (only when the manager runs as root)
 * @param rlimitMemory whether to limit address space with RLIMIT_AS (when no memory cgroup does it)
 * @param etc host folder with the generated {@code /etc} files ({@link SandboxEtc})
 * @param seccomp whether bubblewrap loads the {@link SeccompFilter} from descriptor {@link SeccompFilter#FD}
 * @param binds further binds after the workspace, in order (the build environment's home and host caches)
 * @param command argv inside the sandbox
 */
public record BwrapCommand(
        String bwrap,
        Path workspace,
        String cwd,
        Map<String, String> env,
        SandboxLimits limits,
        OptionalInt hostUid,
        boolean rlimitMemory,
        Path etc,
        boolean seccomp,
        List<Bind> binds,
        List<String> command) {

    /** Where the workspace appears inside the sandbox. */
    public static final String WORKSPACE = "/workspace";
    /** Uid and gid the command sees inside the sandbox. */
    public static final int SANDBOX_UID = 1000;

    public BwrapCommand {
        env = new TreeMap<>(env);
        binds = List.copyOf(binds);
        command = List.copyOf(command);
    }

    /**
     * One bind of a host path into the sandbox.
     *
     * @param source host path
     * @param target path inside the sandbox
     * @param writable read-write ({@code --bind}) or read-only ({@code --ro-bind})
     * @param optional skipped when the source does not exist ({@code -try})
     */
    public record Bind(String source, String target, boolean writable, boolean optional) {
        List<String> argv() {
            return List.of((writable ? "--bind" : "--ro-bind") + (optional ? "-try" : ""), source, target);
        }
    }

    /** The clean environment every command starts from. */
    public static Map<String, String> baseEnvironment() {
        return dev.drydock.sandbox.SandboxEnvironment.BASE;
    }

    /** The bubblewrap part of the argv. */
    public List<String> bwrapArgv() {
        List<String> a = new ArrayList<>(sandboxArgv());
        a.addAll(commandArgv());
        return a;
    }

    /**
     * What a {@link SandboxLauncher} starts for every command of one sandbox: the uid drop (when
     * root) and bubblewrap with everything that does not depend on the command.
     */
    public List<String> launcherPrefix() {
        List<String> argv = new ArrayList<>();
        hostUid.ifPresent(uid -> argv.addAll(setprivArgv(uid)));
        argv.addAll(sandboxArgv());
        return argv;
    }

    /** The rlimits a command starts with, as bash {@code ulimit} calls. */
    public String ulimits() {
        // Without -H/-S both soft and hard are set. -u processes, -t cpu seconds, -f KiB (bash; dash counts 512-byte
        // blocks), -v KiB, -c core blocks.
        StringBuilder s = new StringBuilder("ulimit -c 0 && ulimit -t ")
                .append(Math.max(1, limits.cpuTime().toSeconds()));
        s.append(" && ulimit -f ").append(Math.max(1, limits.maxFileSizeBytes() / 1024));
        if (hostUid.isPresent()) {
            s.append(" && ulimit -u ").append(limits.maxProcesses());
        }
        if (rlimitMemory) {
            s.append(" && ulimit -v ").append(Math.max(1, limits.memoryBytes() / 1024));
        }
        return s.toString();
    }

    /** The bubblewrap options of one sandbox: namespaces, binds, sizes (everything but cwd, environment and command). */
    private List<String> sandboxArgv() {
        List<String> a = new ArrayList<>();
        a.add(bwrap);
        a.addAll(List.of(
                "--unshare-all",
                "--unshare-user",
                "--disable-userns",
                "--die-with-parent",
                "--new-session",
                "--cap-drop",
                "ALL"));
        a.addAll(List.of(
                "--uid", String.valueOf(SANDBOX_UID), "--gid", String.valueOf(SANDBOX_UID), "--hostname", "sandbox"));
        a.addAll(List.of("--ro-bind", "/usr", "/usr"));
        a.addAll(List.of(
                "--symlink",
                "usr/bin",
                "/bin",
                "--symlink",
                "usr/sbin",
                "/sbin",
                "--symlink",
                "usr/lib",
                "/lib",
                "--symlink",
                "usr/lib64",
                "/lib64"));
        for (String f : SandboxEtc.GENERATED) {
            a.addAll(List.of("--ro-bind", etc.resolve(f).toString(), "/etc/" + f));
        }
        for (String f : SandboxEtc.FROM_HOST) {
            a.addAll(List.of("--ro-bind-try", "/etc/" + f, "/etc/" + f));
        }
        a.addAll(List.of("--bind", workspace.toString(), WORKSPACE));
        for (Bind b : binds) {
            a.addAll(b.argv());
        }
        a.addAll(List.of("--size", String.valueOf(limits.tmpBytes()), "--tmpfs", "/tmp"));
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        a.addAll(List.of("--size", String.valueOf(limits.tmpBytes()), "--tmpfs", "/dev/shm"));
        a.addAll(List.of("--remount-ro", "/"));
        if (seccomp) {
            a.addAll(List.of("--seccomp", String.valueOf(SeccompFilter.FD)));
        }
        return a;
    }

    /** The per-command bubblewrap options: working directory, clean environment, then the command. */
    public List<String> commandArgv() {
        List<String> a = new ArrayList<>();
        a.addAll(List.of("--chdir", cwd));
        a.add("--clearenv");
        env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
        a.add("--");
        a.addAll(command);
        return a;
    }

    private static List<String> setprivArgv(int uid) {
        return List.of(
                "setpriv",
                "--reuid=" + uid,
                "--regid=" + uid,
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--");
    }

    /** The same command under raw bubblewrap only (no launcher, cgroups, rlimits, uid drop or seccomp filter): the benchmark baseline. */
    public List<String> rawBwrapArgv() {
        return new BwrapCommand(bwrap, workspace, cwd, env, limits, hostUid, rlimitMemory, etc, false, binds, command)
                .bwrapArgv();
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
