package dev.drydock.cli.sandbox;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.sandbox.Enforcement;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.bubblewrap.BubblewrapSandboxBackend;
import dev.drydock.sandbox.bubblewrap.LocalExecBenchmark;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./drydock sandbox bench}: local exec round trip vs raw {@code bwrap} running the same
 * command in the same run (interleaved), and create-to-first-exec latency; p50/p99. The last line is
 * one JSON object.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Local backend: exec round trip vs raw bwrap (same command, interleaved) and create-to-first-exec latency.",
            "The last line is JSON: exec/raw p50 and p99 in ms, ratio_p50, create_to_first_exec p50/p99, load averages."
        })
public final class SandboxBenchCommand implements Callable<Integer> {
    @Option(
            names = "--iterations",
            defaultValue = "200",
            description = "Timed exec iterations (default: ${DEFAULT-VALUE})")
    int iterations = 200;

    @Option(
            names = "--warmup",
            defaultValue = "20",
            description = "Untimed iterations first (default: ${DEFAULT-VALUE})")
    int warmup = 20;

    @Option(
            names = "--creates",
            defaultValue = "20",
            description = "create-to-first-exec samples (default: ${DEFAULT-VALUE})")
    int creates = 20;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "Command to run (default: true)")
    List<String> command = List.of("true");

    @Override
    public Integer call() {
        if (iterations < 1 || warmup < 0 || creates < 1) {
            throw new CliException("--iterations and --creates must be positive, --warmup not negative", CliExit.USAGE);
        }
        SandboxOptions options = SandboxCommand.options().withBackend("local");
        try (BubblewrapSandboxBackend backend = new BubblewrapSandboxBackend(options, Clock.systemUTC())) {
            for (Enforcement e : backend.enforcement()) {
                System.out.println("# " + e);
            }
            LocalExecBenchmark.Report r = new LocalExecBenchmark(backend)
                    .run(
                            new SandboxPolicy(options).spec("bench", "bench"),
                            command.isEmpty() ? List.of("true") : command,
                            warmup,
                            iterations,
                            creates);
            System.out.printf(
                    Locale.ROOT,
                    "sandbox exec     p50 %8.2f ms  p99 %8.2f ms  mean %8.2f ms%n",
                    r.exec().p50(),
                    r.exec().p99(),
                    r.exec().mean());
            System.out.printf(
                    Locale.ROOT,
                    "raw bwrap        p50 %8.2f ms  p99 %8.2f ms  mean %8.2f ms%n",
                    r.rawBwrap().p50(),
                    r.rawBwrap().p99(),
                    r.rawBwrap().mean());
            System.out.printf(Locale.ROOT, "ratio (p50)      %.2fx (target <= 1.5x)%n", r.ratio());
            System.out.printf(
                    Locale.ROOT,
                    "create->1st exec p50 %8.2f ms  p99 %8.2f ms%n",
                    r.createToFirstExec().p50(),
                    r.createToFirstExec().p99());
            System.out.printf(
                    Locale.ROOT,
                    "load average     %s before, %s after (%d cores)%n",
                    r.loadBefore(),
                    r.loadAfter(),
                    Runtime.getRuntime().availableProcessors());
            System.out.println(r.json());
            return CliExit.OK;
        } catch (SandboxException e) {
            throw SandboxCommand.userError(e);
        }
    }
}
