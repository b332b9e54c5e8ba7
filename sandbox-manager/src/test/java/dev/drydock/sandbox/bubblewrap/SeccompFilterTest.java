package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The seccomp program, run by a small classic-BPF interpreter over {@code seccomp_data}. */
class SeccompFilterTest {
    static final int ALLOW = 0x7FFF0000;
    static final int KILL = 0x80000000;
    static final int EPERM = 0x00050000 | 1;
    static final int ENOSYS = 0x00050000 | 38;

    /** Runs {@code program} over a {@code seccomp_data} of {@code arch}, {@code nr} and a first argument. */
    static int run(byte[] program, int arch, int nr, long arg0) {
        ByteBuffer data = ByteBuffer.allocate(64)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, nr)
                .putInt(4, arch)
                .putLong(16, arg0);
        ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        int a = 0;
        int pc = 0;
        while (true) {
            int code = p.getShort(pc * 8) & 0xFFFF;
            int jt = p.get(pc * 8 + 2) & 0xFF;
            int jf = p.get(pc * 8 + 3) & 0xFF;
            int k = p.getInt(pc * 8 + 4);
            pc++;
            switch (code) {
                case 0x20 -> a = data.getInt(k);
                case 0x15 -> pc += a == k ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                case 0x45 -> pc += (a & k) != 0 ? jt : jf;
                case 0x06 -> {
                    return k;
                }
                default -> throw new AssertionError("unexpected BPF code " + code);
            }
        }
    }

    @Test
    void shouldDenyListedCallsAndAllowOthersWhenProgramRunsOnX86() {
        // When
        byte[] program = SeccompFilter.program(SeccompFilter.X86_64);
        // Then
        int arch = SeccompFilter.AUDIT_ARCH_X86_64;
        assertThat(program.length % 8).isZero();
        for (String name : SeccompFilter.DENIED) {
            assertThat(run(program, arch, SeccompFilter.X86_64.numbers().get(name), 0))
                    .as(name)
                    .isEqualTo(EPERM);
        }
        assertThat(run(program, arch, 0, 0)).as("read").isEqualTo(ALLOW);
        assertThat(run(program, arch, 59, 0)).as("execve").isEqualTo(ALLOW);
        assertThat(run(program, arch, 57, 0)).as("fork").isEqualTo(ALLOW);
        assertThat(run(program, arch, 56, 0x11)).as("clone for fork (SIGCHLD)").isEqualTo(ALLOW);
        assertThat(run(program, arch, 56, 0x10000000L | 0x11))
                .as("clone with CLONE_NEWUSER")
                .isEqualTo(EPERM);
        assertThat(run(program, arch, 56, 0x00020000L))
                .as("clone with CLONE_NEWNS")
                .isEqualTo(EPERM);
        assertThat(run(program, arch, 435, 0)).as("clone3").isEqualTo(ENOSYS);
        assertThat(run(program, arch, 0x40000000 + 39, 0)).as("x32 getpid").isEqualTo(EPERM);
        assertThat(run(program, 0x40000003, 1, 0)).as("i386 call on x86_64").isEqualTo(KILL);
    }

    @Test
    void shouldUseAarch64NumbersWhenProgramRunsOnArm() {
        // When
        byte[] program = SeccompFilter.program(SeccompFilter.AARCH64);
        // Then
        int arch = SeccompFilter.AUDIT_ARCH_AARCH64;
        assertThat(run(program, arch, 219, 0)).as("keyctl").isEqualTo(EPERM);
        assertThat(run(program, arch, 97, 0)).as("unshare").isEqualTo(EPERM);
        assertThat(run(program, arch, 250, 0))
                .as("250 is not keyctl on aarch64")
                .isEqualTo(ALLOW);
        assertThat(run(program, arch, 220, 0x10000000L))
                .as("clone with CLONE_NEWUSER")
                .isEqualTo(EPERM);
        assertThat(run(program, arch, 0x40000000 + 1, 0))
                .as("no x32 on aarch64")
                .isEqualTo(ALLOW);
        assertThat(run(program, SeccompFilter.AUDIT_ARCH_X86_64, 0, 0))
                .as("another architecture")
                .isEqualTo(KILL);
    }
}
