package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxUnavailableException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seccomp filter of every local sandbox command, as the classic BPF program bubblewrap loads
 * with {@code --seccomp FD}: an array of {@code struct sock_filter} (8 bytes each, little-endian:
 * {@code u16 code, u8 jt, u8 jf, u32 k}) run over {@code struct seccomp_data} ({@code int nr} at 0,
 * {@code u32 arch} at 4, {@code u64 args[6]} from 16).
 *
 * <p>It denies, with {@code EPERM}, what Docker's default profile denies to an unprivileged container:
 * keyrings, {@code ptrace} and cross-process memory access, mounts and namespace changes, BPF, perf
 * events, {@code userfaultfd}, io_uring, kexec, kernel modules, clock and swap changes, {@code
 * reboot}, {@code acct}, the kernel log, file handles ({@code open_by_handle_at}), quotas; on
 * x86_64 every x32 system call ({@code nr >= 0x40000000}). {@code clone} with a namespace flag is
 * denied; {@code clone3}, whose flags sit behind a pointer a filter cannot read, fails with {@code
 * ENOSYS} so that libc falls back to {@code clone}. A call made with another architecture's
 * convention (i386 on x86_64, arm32 on aarch64) kills the process: its numbers mean other calls.
 * Everything else is allowed.
 */
final class SeccompFilter {
    /** The descriptor the launcher opens the program on for bubblewrap. */
    static final int FD = 4;

    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;

    private static final int LD_W_ABS = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int JGE_K = 0x35;
    private static final int JSET_K = 0x45;
    private static final int RET_K = 0x06;
    private static final int RET_KILL_PROCESS = 0x80000000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int RET_ALLOW = 0x7FFF0000;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final int X32_BIT = 0x40000000;
    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
    static final int CLONE_NAMESPACE_FLAGS =
            0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

    /** The denied calls (names from the kernel's unistd tables). */
    static final List<String> DENIED = List.of(
            "keyctl",
            "add_key",
            "request_key",
            "ptrace",
            "process_vm_readv",
            "process_vm_writev",
            "kcmp",
            "mount",
            "umount2",
            "pivot_root",
            "unshare",
            "setns",
            "open_tree",
            "move_mount",
            "fsopen",
            "fsconfig",
            "fsmount",
            "fspick",
            "mount_setattr",
            "bpf",
            "perf_event_open",
            "userfaultfd",
            "fanotify_init",
            "lookup_dcookie",
            "io_uring_setup",
            "io_uring_enter",
            "io_uring_register",
            "kexec_load",
            "kexec_file_load",
            "init_module",
            "finit_module",
            "delete_module",
            "swapon",
            "swapoff",
            "reboot",
            "acct",
            "syslog",
            "quotactl",
            "vhangup",
            "nfsservctl",
            "settimeofday",
            "clock_settime",
            "clock_adjtime",
            "adjtimex",
            "open_by_handle_at",
            "name_to_handle_at");

    /** One architecture: its audit id and system call numbers. */
    record Arch(String name, int auditArch, boolean x32, int cloneNr, int clone3Nr, Map<String, Integer> numbers) {}

    static final Arch X86_64 = new Arch(
            "x86_64",
            AUDIT_ARCH_X86_64,
            true,
            56,
            435,
            Map.ofEntries(
                    Map.entry("keyctl", 250),
                    Map.entry("add_key", 248),
                    Map.entry("request_key", 249),
                    Map.entry("ptrace", 101),
                    Map.entry("process_vm_readv", 310),
                    Map.entry("process_vm_writev", 311),
                    Map.entry("kcmp", 312),
                    Map.entry("mount", 165),
                    Map.entry("umount2", 166),
                    Map.entry("pivot_root", 155),
                    Map.entry("unshare", 272),
                    Map.entry("setns", 308),
                    Map.entry("open_tree", 428),
                    Map.entry("move_mount", 429),
                    Map.entry("fsopen", 430),
                    Map.entry("fsconfig", 431),
                    Map.entry("fsmount", 432),
                    Map.entry("fspick", 433),
                    Map.entry("mount_setattr", 442),
                    Map.entry("bpf", 321),
                    Map.entry("perf_event_open", 298),
                    Map.entry("userfaultfd", 323),
                    Map.entry("fanotify_init", 300),
                    Map.entry("lookup_dcookie", 212),
                    Map.entry("io_uring_setup", 425),
                    Map.entry("io_uring_enter", 426),
                    Map.entry("io_uring_register", 427),
                    Map.entry("kexec_load", 246),
                    Map.entry("kexec_file_load", 320),
                    Map.entry("init_module", 175),
                    Map.entry("finit_module", 313),
                    Map.entry("delete_module", 176),
                    Map.entry("swapon", 167),
                    Map.entry("swapoff", 168),
                    Map.entry("reboot", 169),
                    Map.entry("acct", 163),
                    Map.entry("syslog", 103),
                    Map.entry("quotactl", 179),
                    Map.entry("vhangup", 153),
                    Map.entry("nfsservctl", 180),
                    Map.entry("settimeofday", 164),
                    Map.entry("clock_settime", 227),
                    Map.entry("clock_adjtime", 305),
                    Map.entry("adjtimex", 159),
                    Map.entry("open_by_handle_at", 304),
                    Map.entry("name_to_handle_at", 303)));

    static final Arch AARCH64 = new Arch(
            "aarch64",
            AUDIT_ARCH_AARCH64,
            false,
            220,
            435,
            Map.ofEntries(
                    Map.entry("keyctl", 219),
                    Map.entry("add_key", 217),
                    Map.entry("request_key", 218),
                    Map.entry("ptrace", 117),
                    Map.entry("process_vm_readv", 270),
                    Map.entry("process_vm_writev", 271),
                    Map.entry("kcmp", 272),
                    Map.entry("mount", 40),
                    Map.entry("umount2", 39),
                    Map.entry("pivot_root", 41),
                    Map.entry("unshare", 97),
                    Map.entry("setns", 268),
                    Map.entry("open_tree", 428),
                    Map.entry("move_mount", 429),
                    Map.entry("fsopen", 430),
                    Map.entry("fsconfig", 431),
                    Map.entry("fsmount", 432),
                    Map.entry("fspick", 433),
                    Map.entry("mount_setattr", 442),
                    Map.entry("bpf", 280),
                    Map.entry("perf_event_open", 241),
                    Map.entry("userfaultfd", 282),
                    Map.entry("fanotify_init", 262),
                    Map.entry("lookup_dcookie", 18),
                    Map.entry("io_uring_setup", 425),
                    Map.entry("io_uring_enter", 426),
                    Map.entry("io_uring_register", 427),
                    Map.entry("kexec_load", 104),
                    Map.entry("kexec_file_load", 294),
                    Map.entry("init_module", 105),
                    Map.entry("finit_module", 273),
                    Map.entry("delete_module", 106),
                    Map.entry("swapon", 224),
                    Map.entry("swapoff", 225),
                    Map.entry("reboot", 142),
                    Map.entry("acct", 89),
                    Map.entry("syslog", 116),
                    Map.entry("quotactl", 60),
                    Map.entry("vhangup", 58),
                    Map.entry("nfsservctl", 42),
                    Map.entry("settimeofday", 170),
                    Map.entry("clock_settime", 112),
                    Map.entry("clock_adjtime", 266),
                    Map.entry("adjtimex", 171),
                    Map.entry("open_by_handle_at", 265),
                    Map.entry("name_to_handle_at", 264)));

    private SeccompFilter() {}

    /** The architecture this JVM runs on. */
    static Arch hostArch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default ->
                throw new SandboxUnavailableException("no seccomp filter for architecture '" + arch
                        + "': the local sandbox backend supports x86_64 and aarch64");
        };
    }

    /** The program for {@code arch}. */
    static byte[] program(Arch arch) {
        Program p = new Program();
        p.load(4); // arch
        p.jump(JEQ_K, arch.auditArch(), 1, 0);
        p.ret(RET_KILL_PROCESS);
        p.load(0); // nr
        if (arch.x32()) {
            p.jump(JGE_K, X32_BIT, 0, 1);
            p.ret(RET_ERRNO | EPERM);
        }
        p.jump(JEQ_K, arch.clone3Nr(), 0, 1);
        p.ret(RET_ERRNO | ENOSYS);
        for (String name : DENIED) {
            Integer nr = arch.numbers().get(name);
            if (nr == null) {
                throw new IllegalStateException("no number for " + name + " on " + arch.name());
            }
            p.jump(JEQ_K, nr, 0, 1);
            p.ret(RET_ERRNO | EPERM);
        }
        p.jump(JEQ_K, arch.cloneNr(), 0, 3);
        p.load(16); // low half of args[0], the flags (little-endian)
        p.jump(JSET_K, CLONE_NAMESPACE_FLAGS, 0, 1);
        p.ret(RET_ERRNO | EPERM);
        p.ret(RET_ALLOW);
        return p.bytes();
    }

    private static final class Program {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void load(int offset) {
            add(LD_W_ABS, 0, 0, offset);
        }

        void jump(int code, int k, int jt, int jf) {
            add(code, jt, jf, k);
        }

        void ret(int k) {
            add(RET_K, 0, 0, k);
        }

        private void add(int code, int jt, int jf, int k) {
            out.write(code & 0xFF);
            out.write((code >>> 8) & 0xFF);
            out.write(jt);
            out.write(jf);
            out.write(k & 0xFF);
            out.write((k >>> 8) & 0xFF);
            out.write((k >>> 16) & 0xFF);
            out.write((k >>> 24) & 0xFF);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
