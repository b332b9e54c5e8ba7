package dev.drydock.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BwrapCommandTest {
    static BwrapCommand command(OptionalInt uid, List<Path> cgroups, boolean rlimitMemory) {
        return new BwrapCommand(
                "/usr/bin/bwrap",
                Path.of("/srv/sbx/workspace"),
                "/workspace/src",
                Map.of("PATH", "/usr/bin", "FOO", "bar"),
                LocalFixture.SMALL,
                uid,
                cgroups,
                rlimitMemory,
                List.of("make", "test"));
    }

    @Test
    void shouldIsolateEverythingWhenBuildingBwrapArgv() {
        // When
        List<String> a = command(OptionalInt.empty(), List.of(), false).bwrapArgv();
        // Then
        assertThat(a.getFirst()).isEqualTo("/usr/bin/bwrap");
        assertThat(a).contains("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv");
        assertThat(a).doesNotContain("--share-net", "--bind-try", "--dev-bind");
        assertThat(Collections.indexOfSubList(a, List.of("--cap-drop", "ALL"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--ro-bind", "/usr", "/usr"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--ro-bind", "/etc", "/etc"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--bind", "/srv/sbx/workspace", "/workspace"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--size", String.valueOf(16L << 20), "--tmpfs", "/tmp"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--chdir", "/workspace/src"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--remount-ro", "/"))).isPositive();
        assertThat(Collections.indexOfSubList(a, List.of("--setenv", "FOO", "bar"))).isPositive();
        assertThat(a.subList(a.indexOf("--") + 1, a.size())).containsExactly("make", "test");
        assertThat(a.stream().filter(s -> s.equals("--bind")).count()).as("one writable bind only").isEqualTo(1);
    }

    @Test
    void shouldJoinCgroupsSetRlimitsAndDropUidWhenRunningAsRoot() {
        // When
        BwrapCommand c = command(OptionalInt.of(200_001), List.of(Path.of("/sys/fs/cgroup/pids/drydock/sbx-1/cgroup.procs")), false);
        List<String> argv = c.argv();
        // Then
        assertThat(argv.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(c.wrapperScript())
                .startsWith("echo $$ > '/sys/fs/cgroup/pids/drydock/sbx-1/cgroup.procs' || exit 125; ")
                .contains("ulimit -c 0 && ulimit -t 20 && ulimit -f 16384 && ulimit -p 64")
                .doesNotContain("ulimit -v")
                .endsWith("exec \"$@\"");
        assertThat(argv.subList(3, 11))
                .containsExactly("drydock-sandbox", "setpriv", "--reuid=200001", "--regid=200001", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--");
        assertThat(argv.get(11)).isEqualTo("/usr/bin/bwrap");
    }

    @Test
    void shouldLimitAddressSpaceWhenNoMemoryCgroupExists() {
        // When
        String script = command(OptionalInt.empty(), List.of(), true).wrapperScript();
        // Then
        assertThat(script).contains("ulimit -v " + (64 * 1024)).doesNotContain("ulimit -p").doesNotContain("cgroup.procs");
    }
}
