package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Pure builder of the host argv that runs one command in a sandbox. The shape is:
 *
 * <pre>
 * /bin/sh -c 'echo $$ &gt; CGROUP/cgroup.procs …; ulimit …; exec "$@"' drydock-sandbox \
 *     [setpriv --reuid U --regid U --clear-groups --inh-caps=-all --bounding-set=-all] \
 *     bwrap --unshare-all --disable-userns … -- COMMAND…
 * </pre>
 *
 * The wrapper shell joins the cgroups first (so no child escapes them), sets rlimits, then becomes
 * setpriv, which drops to the sandbox's unprivileged host uid, then bubblewrap.
 *
 * @param bwrap the bubblewrap binary
 * @param workspace host directory bound read-write at {@link #WORKSPACE}
 * @param cwd working directory inside the sandbox, absolute
 * @param env the complete environment inside the sandbox
 * @param limits limits to apply with rlimits and the tmpfs size
 * @param hostUid host uid to drop to (only when the manager runs as root)
 * @param cgroupProcs {@code cgroup.procs} files to join
 * @param rlimitMemory whether to limit address space with RLIMIT_AS (when no memory cgroup does it)
 * @param command argv inside the sandbox
 */
public record BwrapCommand(
        String bwrap,
        Path workspace,
        String cwd,
        Map<String, String> env,
        SandboxLimits limits,
        OptionalInt hostUid,
        List<Path> cgroupProcs,
        boolean rlimitMemory,
        List<String> command) {

    /** Where the workspace appears inside the sandbox. */
    public static final String WORKSPACE = "/workspace";
    /** Uid and gid the command sees inside the sandbox. */
    public static final int SANDBOX_UID = 1000;

    public BwrapCommand {
        env = new TreeMap<>(env);
        cgroupProcs = List.copyOf(cgroupProcs);
        command = List.copyOf(command);
    }

    /** The clean environment every command starts from. */
    public static Map<String, String> baseEnvironment() {
        return dev.drydock.sandbox.SandboxEnvironment.BASE;
    }

    /** The host argv. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(wrapperScript());
        argv.add("drydock-sandbox");
        hostUid.ifPresent(
                uid -> {
                    argv.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"));
                });
        argv.addAll(bwrapArgv());
        return argv;
    }

    /** The wrapper shell script: join cgroups, set rlimits, exec the rest. */
    public String wrapperScript() {
        StringBuilder s = new StringBuilder();
        for (Path procs : cgroupProcs) {
            s.append("echo $$ > ").append(shellQuote(procs.toString())).append(" || exit 125; ");
        }
        // One limit per ulimit call (dash accepts no more); without -H/-S both soft and hard are set.
        // -p processes, -t cpu seconds, -f 512-byte blocks, -v KiB, -c core blocks.
        s.append("ulimit -c 0 && ulimit -t ").append(Math.max(1, limits.cpuTime().toSeconds()));
        s.append(" && ulimit -f ").append(Math.max(1, limits.maxFileSizeBytes() / 512));
        if (hostUid.isPresent()) {
            s.append(" && ulimit -p ").append(limits.maxProcesses());
        }
        if (rlimitMemory) {
            s.append(" && ulimit -v ").append(Math.max(1, limits.memoryBytes() / 1024));
        }
        s.append(" || exit 125; exec \"$@\"");
        return s.toString();
    }

    /** The bubblewrap part of the argv. */
    public List<String> bwrapArgv() {
        List<String> a = new ArrayList<>();
        a.add(bwrap);
        a.addAll(List.of("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL"));
        a.addAll(List.of("--uid", String.valueOf(SANDBOX_UID), "--gid", String.valueOf(SANDBOX_UID), "--hostname", "sandbox"));
        a.addAll(List.of("--ro-bind", "/usr", "/usr"));
        a.addAll(List.of("--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64"));
        a.addAll(List.of("--ro-bind", "/etc", "/etc"));
        a.addAll(List.of("--bind", workspace.toString(), WORKSPACE));
        a.addAll(List.of("--size", String.valueOf(limits.tmpBytes()), "--tmpfs", "/tmp"));
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        a.addAll(List.of("--size", String.valueOf(limits.tmpBytes()), "--tmpfs", "/dev/shm"));
        a.addAll(List.of("--chdir", cwd));
        a.addAll(List.of("--remount-ro", "/"));
        a.add("--clearenv");
        env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
        a.add("--");
        a.addAll(command);
        return a;
    }

    /** The same command under raw bubblewrap only (no cgroups, rlimits or uid drop): the benchmark baseline. */
    public List<String> rawBwrapArgv() {
        return bwrapArgv();
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
