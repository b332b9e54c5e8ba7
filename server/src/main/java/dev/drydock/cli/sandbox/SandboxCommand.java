package dev.drydock.cli.sandbox;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.SandboxKey;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxUnavailableException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./drydock sandbox}: operator commands of the sandbox manager. {@code exec} runs one command
 * in a fresh sandbox with exactly the policy droid sessions get; {@code bench} measures the local
 * backend against raw bubblewrap.
 *
 * <p>Configuration is the server's {@code drydock.sandbox.*} keys, read from system properties
 * ({@code -Ddrydock.sandbox.memory=1g}) or environment variables ({@code DRYDOCK_SANDBOX_MEMORY=1g}).
 */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        subcommands = {SandboxExecCommand.class, SandboxBenchCommand.class},
        description = "Run a command in a fresh sandbox (exec) or benchmark the local backend (bench).")
public final class SandboxCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(new PrintWriter(System.err, true));
        return CliExit.USAGE;
    }

    /** The sandbox options of this process: {@code drydock.sandbox.*} from system properties, then the environment. */
    static SandboxOptions options() {
        try {
            return SandboxOptions.fromConfig(key -> Optional.ofNullable(System.getProperty(key))
                    .or(() -> Optional.ofNullable(System.getenv(SandboxKey.envName(key)))));
        } catch (InvalidSpecException e) {
            throw new CliException("invalid sandbox configuration: " + e.getMessage(), CliExit.USAGE);
        }
    }

    /** Maps sandbox errors to user errors. */
    static CliException userError(RuntimeException e) {
        if (e instanceof InvalidSpecException) {
            return new CliException(e.getMessage(), CliExit.USAGE);
        }
        if (e instanceof SandboxUnavailableException) {
            return new CliException(e.getMessage(), CliExit.UNAVAILABLE);
        }
        return new CliException(e.getMessage(), CliExit.FAILED, e);
    }
}
