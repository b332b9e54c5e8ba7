package dev.drydock.cli.bench;

import dev.drydock.cli.CliExit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock bench}: benchmark commands. {@code retrieval} and {@code build-set} are declared
 * here; other features add theirs (for example {@code embed}) with
 * {@code commandLine.getSubcommands().get("bench").addSubcommand(...)} in {@code DrydockCli}.
 */
@Command(
        name = "bench",
        description =
                "Benchmarks: retrieval quality, building query sets, @-mention lookup, context precision, embeddings, the gateway, sessions, faults.",
        subcommands = {
            BenchRetrievalCommand.class,
            BenchBuildSetCommand.class,
            BenchLookupCommand.class,
            BenchContextCommand.class,
            BenchEmbedCommand.class,
            GatewayBenchCommand.class,
            BenchSessionsCommand.class,
            BenchTakeoverCommand.class,
            BenchKeycloakDownCommand.class,
            BenchPgRestartCommand.class
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(new PrintWriter(spec.commandLine().getErr(), true));
        return CliExit.USAGE;
    }
}
