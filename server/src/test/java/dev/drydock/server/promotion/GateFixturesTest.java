package dev.drydock.server.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every shipped gate fixture is a real task: its tests fail as shipped and pass with its known fix. */
class GateFixturesTest {
    @TempDir
    Path dir;

    /** One fixture's test command's exit code with and without the fix, and the output of the failing run. */
    record Outcome(String fixture, int before, int after, String output) {}

    @Test
    void shouldFailBeforeAndPassAfterKnownFixWhenEveryShippedFixtureRuns() throws Exception {
        // Given every shipped fixture
        List<GateFixtures.Fixture> fixtures = GateFixtures.all();

        // When each runs its test command as shipped and with its fix applied
        List<Outcome> outcomes = new ArrayList<>();
        for (GateFixtures.Fixture f : fixtures) {
            Path broken = dir.resolve(f.name() + "-broken");
            Path fixed = dir.resolve(f.name() + "-fixed");
            f.writeTree(broken, false);
            f.writeTree(fixed, true);
            String[] failing = run(broken, f.test());
            String[] passing = run(fixed, f.test());
            outcomes.add(new Outcome(
                    f.name(), Integer.parseInt(failing[0]), Integer.parseInt(passing[0]), failing[1] + passing[1]));
        }

        // Then five fixtures in three languages, each failing first and passing after its one-line fix
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(5);
        assertThat(fixtures).extracting(GateFixtures.Fixture::language).contains("python", "node", "java");
        assertThat(fixtures)
                .allSatisfy(
                        f -> assertThat(f.files().get(f.fixPath())).as(f.name()).containsOnlyOnce(f.fixOld()));
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.before())
                    .as(o.fixture() + " before its fix\n" + o.output())
                    .isNotZero();
            assertThat(o.after())
                    .as(o.fixture() + " after its fix\n" + o.output())
                    .isZero();
        });
    }

    private static String[] run(Path dir, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }
}
