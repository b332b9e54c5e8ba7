package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BwrapCommandTest {
    static BwrapCommand command(OptionalInt uid, boolean rlimitMemory) {
        return new BwrapCommand(
                "/usr/bin/bwrap",
                Path.of("/srv/sbx/workspace"),
                "/workspace/src",
                Map.of("PATH", "/usr/bin", "FOO", "bar"),
                LocalFixture.SMALL,
                uid,
                rlimitMemory,
                Path.of("/srv/host-files/etc"),
                true,
                List.of(),
                List.of("make", "test"));
    }

    @Test
    void shouldIsolateEverythingWhenBuildingBwrapArgv() {
        // When
        List<String> a = command(OptionalInt.empty(), false).bwrapArgv();
        // Then
        assertThat(a.getFirst()).isEqualTo("/usr/bin/bwrap");
        assertThat(a)
                .contains(
                        "--unshare-all",
                        "--unshare-user",
                        "--disable-userns",
                        "--die-with-parent",
                        "--new-session",
                        "--clearenv");
        assertThat(a).doesNotContain("--share-net", "--bind-try", "--dev-bind");
        assertThat(Collections.indexOfSubList(a, List.of("--cap-drop", "ALL"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--ro-bind", "/usr", "/usr")))
                .isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--ro-bind", "/etc", "/etc")))
                .as("no host /etc")
                .isNegative();
        assertThat(Collections.indexOfSubList(a, List.of("--ro-bind", "/srv/host-files/etc/passwd", "/etc/passwd")))
                .isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--ro-bind-try", "/etc/ssl/certs", "/etc/ssl/certs")))
                .isPositive();
        List<String> bindSources = java.util.stream.IntStream.range(0, a.size() - 1)
                .filter(i -> a.get(i).startsWith("--ro-bind"))
                .mapToObj(i -> a.get(i + 1))
                .toList();
        assertThat(bindSources).doesNotContain("/etc/shadow", "/etc/hostname", "/etc/machine-id", "/etc/passwd");
        assertThat(Collections.indexOfSubList(a, List.of("--seccomp", "4"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--bind", "/srv/sbx/workspace", "/workspace")))
                .isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--size", String.valueOf(16L << 20), "--tmpfs", "/tmp")))
                .isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--chdir", "/workspace/src")))
                .isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--remount-ro", "/"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--setenv", "FOO", "bar")))
                .isPositive();
        assertThat(a.subList(a.indexOf("--") + 1, a.size())).containsExactly("make", "test");
        assertThat(a.stream().filter(s -> s.equals("--bind")).count())
                .as("one writable bind only")
                .isEqualTo(1);
    }

    @Test
    void shouldJoinCgroupsSetRlimitsAndDropUidWhenRunningAsRoot() {
        // When
        BwrapCommand c = command(OptionalInt.of(200_001), false);
        List<String> prefix = c.launcherPrefix();
        String script =
                SandboxLauncher.script(List.of(Path.of("/sys/fs/cgroup/pids/drydock/sbx-1/cgroup.procs")), c.ulimits());
        // Then
        assertThat(script).startsWith("echo $$ > '/sys/fs/cgroup/pids/drydock/sbx-1/cgroup.procs' || exit 125\n");
        assertThat(c.ulimits()).isEqualTo("ulimit -c 0 && ulimit -t 20 && ulimit -f 8192 && ulimit -u 64");
        assertThat(script).contains(c.ulimits() + " || {");
        assertThat(prefix.subList(0, 7))
                .containsExactly(
                        "setpriv",
                        "--reuid=200001",
                        "--regid=200001",
                        "--clear-groups",
                        "--inh-caps=-all",
                        "--bounding-set=-all",
                        "--");
        assertThat(prefix.get(7)).isEqualTo("/usr/bin/bwrap");
        assertThat(prefix.subList(7, prefix.size())).doesNotContain("--chdir", "--", "make");
        List<String> whole = new java.util.ArrayList<>(prefix.subList(7, prefix.size()));
        whole.addAll(c.commandArgv());
        assertThat(whole).isEqualTo(c.bwrapArgv());
    }

    @Test
    void shouldLimitAddressSpaceWhenNoMemoryCgroupExists() {
        // When
        String ulimits = command(OptionalInt.empty(), true).ulimits();
        // Then
        assertThat(ulimits).contains("ulimit -v " + (64 * 1024)).doesNotContain("ulimit -u");
    }
}
