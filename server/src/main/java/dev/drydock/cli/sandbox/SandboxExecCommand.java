package dev.drydock.cli.sandbox;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.sandbox.ByteSize;
import dev.drydock.sandbox.Enforcement;
import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.OutputChannel;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxBackend;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.Termination;
import dev.drydock.sandbox.select.SandboxBackends;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./drydock sandbox exec [--backend local|kubernetes] [--workspace DIR] [--timeout SECONDS]
 * [--memory SIZE] -- COMMAND [ARGS…]}: creates a sandbox from {@link SandboxPolicy} (the policy of
 * droid sessions), optionally copies DIR into its workspace, runs the command with output streamed,
 * destroys the sandbox, and prints {@code exit=N}, {@code exit=timeout} or {@code exit=killed:REASON}
 * as the last line of standard output.
 *
 * <p>Exit status: the command's own when it exited, 124 on timeout, 137 when killed; 2 for bad
 * usage, 69 when the backend is unavailable.
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run one command in a fresh sandbox with the droid policy; the last line is exit=N, exit=timeout or exit=killed:REASON.",
            "The sandbox gets a copy of --workspace (changes are discarded)."
        })
public final class SandboxExecCommand implements Callable<Integer> {
    @Option(
            names = "--backend",
            paramLabel = "NAME",
            description = "local or kubernetes (default: drydock.sandbox.backend, else local)")
    @Nullable
    String backend;

    @Option(
            names = "--workspace",
            paramLabel = "DIR",
            description = "Directory copied into the sandbox's workspace (default: an empty workspace)")
    @Nullable
    Path workspace;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Wall-clock limit (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 60;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Memory limit, e.g. 512m (default: drydock.sandbox.memory)")
    @Nullable
    String memory;

    @Option(
            names = "--show-limits",
            description = "Print which limits this backend enforces on this host (to stderr) before running")
    boolean showLimits;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --)")
    List<String> command = List.of();

    @Override
    public Integer call() {
        SandboxOptions options = SandboxCommand.options();
        if (backend != null) {
            options = options.withBackend(checkBackend(backend));
        }
        if (timeoutSeconds <= 0) {
            throw new CliException("--timeout must be positive, got " + timeoutSeconds, CliExit.USAGE);
        }
        SandboxPolicy policy = new SandboxPolicy(options);
        ExecRequest request;
        SandboxSpec spec;
        try {
            spec = policy.spec(
                    "cli-"
                            + HexFormat.of()
                                    .formatHex(new byte[] {(byte) System.nanoTime(), (byte) (System.nanoTime() >> 8)}),
                    "cli-workspace");
            if (memory != null) {
                spec = spec.withLimits(spec.limits().withMemoryBytes(ByteSize.parse(memory)));
            }
            request = ExecRequest.of(command).withTimeout(Duration.ofSeconds(timeoutSeconds));
        } catch (SandboxException e) {
            throw SandboxCommand.userError(e);
        }
        if (workspace != null && !Files.isDirectory(workspace)) {
            throw new CliException("--workspace " + workspace + " is not a directory", CliExit.USAGE);
        }
        try (SandboxBackend sandboxes = SandboxBackends.create(options, Clock.systemUTC())) {
            if (showLimits) {
                for (Enforcement e : sandboxes.enforcement()) {
                    System.err.println("drydock sandbox: " + e);
                }
            }
            Sandbox sandbox = sandboxes.create(spec);
            try {
                if (workspace != null) {
                    upload(sandbox, workspace);
                }
                AtomicBoolean endsWithNewline = new AtomicBoolean(true);
                ExecResult result = sandbox.exec(request, (channel, chunk) -> {
                    if (chunk.length == 0) {
                        return;
                    }
                    if (channel == OutputChannel.STDOUT) {
                        synchronized (System.out) {
                            System.out.write(chunk, 0, chunk.length);
                            System.out.flush();
                            endsWithNewline.set(chunk[chunk.length - 1] == '\n');
                        }
                    } else {
                        System.err.write(chunk, 0, chunk.length);
                        System.err.flush();
                    }
                });
                synchronized (System.out) {
                    if (!endsWithNewline.get()) {
                        System.out.println();
                    }
                    System.out.println(result.statusLine());
                    System.out.flush();
                }
                return switch (result.termination()) {
                    case Termination.Exited e -> Math.min(255, Math.max(0, e.code()));
                    case Termination.TimedOut t -> 124;
                    case Termination.Killed k -> 137;
                };
            } finally {
                sandbox.destroy();
            }
        } catch (CliException e) {
            throw e;
        } catch (SandboxException e) {
            throw SandboxCommand.userError(e);
        }
    }

    private static String checkBackend(String name) {
        try {
            return SandboxBackends.checkName(name);
        } catch (SandboxException e) {
            throw new CliException(e.getMessage(), CliExit.USAGE);
        }
    }

    /** Copies a host directory into the workspace as a tar stream (links kept as links, confined). */
    private static void upload(Sandbox sandbox, Path dir) {
        ProcessTar tar = new ProcessTar(dir);
        sandbox.uploadTar(".", tar.stream());
    }

    /** Tar of a host directory, built in memory with the sandbox manager's own tar writer. */
    private record ProcessTar(Path dir) {
        InputStream stream() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            dev.drydock.sandbox.archive.WorkspaceTar.create(
                    new dev.drydock.sandbox.workspace.WorkspaceFiles(dir, java.util.OptionalInt.empty()), ".", out);
            return new java.io.ByteArrayInputStream(out.toByteArray());
        }
    }
}
