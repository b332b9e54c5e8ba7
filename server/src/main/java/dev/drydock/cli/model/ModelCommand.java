package dev.drydock.cli.model;

import dev.drydock.cli.CliExit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./drydock model}: commands about model endpoints. */
@Command(
        name = "model",
        description =
                "Model endpoints: probe one (check), then store it on the server (add, list) and run its promotion gate (gate; after ./drydock login).",
        subcommands = {
            ModelCheckCommand.class,
            ModelRemoteCommands.Add.class,
            ModelRemoteCommands.ListEndpoints.class,
            ModelRemoteCommands.Gate.class
        })
public final class ModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(new PrintWriter(spec.commandLine().getErr(), true));
        return CliExit.USAGE;
    }
}
