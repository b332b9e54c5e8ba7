package dev.drydock.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-process kill -9 test (issue 21): two packaged server processes on one PostgreSQL, scripted
 * sessions driven by the first, which is killed with SIGKILL; the second takes every unfinished one over.
 * Runs after {@code package} (failsafe), on the server this build packaged. The suite runs {@code
 * -Ddrydock.takeover.sessions} sessions (default 6: two JVM start-ups dominate its time);
 * {@code ./drydock bench takeover} runs 50 and reports the numbers in docs/operations.md.
 */
class TakeoverIT {
    @TempDir
    Path work;

    @Test
    void shouldTakeOverAndFinishEverySessionWithoutGapsWhenTheDrivingReplicaIsKilled() throws Exception {
        // Given two replicas on one database, the first driving every session
        BenchTakeoverCommand bench = new BenchTakeoverCommand();
        bench.sessions = Integer.getInteger("drydock.takeover.sessions", 6);
        bench.steps = 30;
        bench.thinkMs = 1000;
        bench.leaseDuration = java.time.Duration.ofSeconds(15);
        bench.renewInterval = java.time.Duration.ofSeconds(5);
        bench.timeout = java.time.Duration.ofMinutes(5);
        Path jar = Path.of(System.getProperty("drydock.test.app", "target/quarkus-app/quarkus-run.jar"));

        // When the first is killed with SIGKILL once every session is under way
        BenchTakeoverCommand.Result r = bench.run(jar.toAbsolutePath(), work);

        // Then the second took the unfinished ones over within 30 s, and every session completed once,
        // with no gap or duplicate in its log and exactly its script's model replies
        assertThat(r.takenOver()).isPositive();
        assertThat(r.takeoverMaxS()).isLessThanOrEqualTo(30.0);
        assertThat(r.completed()).isEqualTo(bench.sessions);
        assertThat(r.gaps()).isZero();
        assertThat(r.duplicated()).isZero();
        assertThat(r.wrongReplies()).isZero();
    }
}
