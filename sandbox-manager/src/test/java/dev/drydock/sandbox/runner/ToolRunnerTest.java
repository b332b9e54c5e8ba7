package dev.drydock.sandbox.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.FileEntry;
import dev.drydock.sandbox.OutputChannel;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.SandboxUnavailableException;
import dev.drydock.sandbox.Termination;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner protocol for real: a runner on loopback, the client the backend uses. */
class ToolRunnerTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path workspace;

    ToolRunner runner;
    RunnerClient client;
    HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startRunner() throws IOException {
        runner = ToolRunner.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), workspace, TOKEN);
        client = new RunnerClient(http, URI.create("http://127.0.0.1:" + runner.port()), TOKEN);
    }

    @AfterEach
    void stopRunner() {
        runner.close();
    }

    @Test
    void shouldStreamOutputAndReturnExitCodeWhenCommandRuns() {
        // Given
        List<String> chunks = new CopyOnWriteArrayList<>();
        // When
        ExecResult result = client.exec(
                ExecRequest.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                1024,
                (channel, chunk) -> chunks.add(channel + ":" + new String(chunk, StandardCharsets.UTF_8)));
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.Exited(3));
        assertThat(result.stdout().text()).isEqualTo("out\n");
        assertThat(result.stderr().text()).isEqualTo("err\n");
        assertThat(chunks).contains("STDOUT:out\n", "STDERR:err\n");
    }

    @Test
    void shouldDeliverStdinAndCloseItWhenCommandReadsToEnd() {
        // When
        ExecResult result = client.exec(
                ExecRequest.of("sh", "-c", "wc -c; cat >/dev/null; echo eof")
                        .withStdin("hello".getBytes(StandardCharsets.UTF_8)),
                1024,
                (c, b) -> {});
        // Then
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().text()).isEqualTo("5\neof\n");
    }

    @Test
    void shouldTimeOutAndKillTreeWhenCommandHangs() {
        // When
        ExecResult result = client.exec(
                ExecRequest.of("sh", "-c", "trap '' TERM; sleep 30 & sleep 30").withTimeout(Duration.ofMillis(500)),
                1024,
                (c, b) -> {});
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.TimedOut());
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldTruncateWithMarkerWhenOutputExceedsLimit() {
        // When
        ExecResult result = client.exec(ExecRequest.of("head", "-c", "1000000", "/dev/zero"), 1000, (c, b) -> {});
        // Then
        assertThat(result.stdout().truncated()).isTrue();
        assertThat(result.stdout().totalBytes()).isEqualTo(1_000_000);
        assertThat(result.stdout().text()).endsWith("[drydock: output truncated after 1000 bytes]\n");
    }

    @Test
    void shouldReport127WhenCommandDoesNotExist() {
        // When
        ExecResult result = client.exec(ExecRequest.of("/no/such/tool"), 1024, (c, b) -> {});
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.Exited(127));
        assertThat(result.stderr().text()).contains("/no/such/tool");
    }

    @Test
    void shouldRefuseRequestWhenTokenIsWrong() {
        // Given
        RunnerClient intruder =
                new RunnerClient(http, URI.create("http://127.0.0.1:" + runner.port()), "wrong-token-wrong-token");
        // When / Then
        assertThatThrownBy(() -> intruder.exec(ExecRequest.of("true"), 1024, (c, b) -> {}))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageContaining("token");
        assertThatThrownBy(() -> intruder.read("x")).isInstanceOf(SandboxUnavailableException.class);
    }

    @Test
    void shouldServeConfinedFilesWhenClientReadsAndWrites() throws IOException {
        // Given
        Files.createSymbolicLink(workspace.resolve("escape"), Path.of("/etc"));
        // When
        client.write("dir/a.txt", "A".getBytes(StandardCharsets.UTF_8));
        // Then
        assertThat(client.read("dir/a.txt")).isEqualTo("A".getBytes(StandardCharsets.UTF_8));
        assertThat(client.list("dir")).extracting(FileEntry::path).containsExactly("dir/a.txt");
        assertThat(client.stat("escape").type()).isEqualTo(FileEntry.Type.SYMLINK);
        assertThatThrownBy(() -> client.read("escape/passwd")).isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> client.read("../x")).isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> client.exec(ExecRequest.of("true").withCwd("escape"), 10, (c, b) -> {}))
                .isInstanceOf(PathEscapeException.class);
    }

    @Test
    void shouldReportRunnerLostWhenRunnerStopsMidCommand() {
        // Given
        List<byte[]> seen = new CopyOnWriteArrayList<>();
        // When
        ExecResult result =
                client.exec(ExecRequest.of("sh", "-c", "echo started; sleep 30"), 1024, (channel, chunk) -> {
                    seen.add(chunk);
                    if (channel == OutputChannel.STDOUT) {
                        runner.close();
                    }
                });
        // Then
        assertThat(result.termination()).isEqualTo(new Termination.Killed("runner-lost"));
        assertThat(result.stdout().text()).isEqualTo("started\n");
    }
}
