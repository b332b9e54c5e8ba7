package dev.drydock.bundle;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./drydock bundle …}: build signed air-gap bundles. */
@Command(
        name = "bundle",
        mixinStandardHelpOptions = true,
        description = "Build signed air-gap bundles of Drydock.",
        subcommands = {KeygenCommand.class, ImagesCommand.class, BuildCommand.class, CheckImagesCommand.class})
public final class BundleMain implements Runnable {
    /** Success. */
    public static final int OK = 0;
    /** The inputs do not make a bundle (a missing image, an unknown repository …). */
    public static final int FAILED = 1;
    /** Bad arguments. */
    public static final int USAGE = 2;
    /** A bug or an unexpected failure. */
    public static final int SOFTWARE = 70;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The command line with Drydock's exit codes and one-line errors. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BundleMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("drydock bundle " + cmd.getCommandName() + ": " + e.getMessage());
            return e instanceof IllegalArgumentException || e instanceof java.io.IOException ? FAILED : SOFTWARE;
        });
        return cl;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code == CommandLine.ExitCode.USAGE ? USAGE : code);
    }
}
