package dev.drydock.installer;

import dev.drydock.installer.command.ExtractCommand;
import dev.drydock.installer.command.InstallCommand;
import dev.drydock.installer.command.PreflightCommand;
import dev.drydock.installer.command.PushCommand;
import dev.drydock.installer.command.RenderCommand;
import dev.drydock.installer.command.UpgradeCommand;
import dev.drydock.installer.command.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./drydock install …}: the platform team's commands. */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = "Install Drydock from a signed air-gap bundle.",
        subcommands = {
            VerifyCommand.class,
            ExtractCommand.class,
            PreflightCommand.class,
            PushCommand.class,
            RenderCommand.class,
            InstallCommand.class,
            UpgradeCommand.class
        })
public final class InstallerMain implements Runnable {
    /** Success. */
    public static final int OK = 0;
    /** The bundle (or cluster) was checked and must not be used. */
    public static final int REJECTED = 1;
    /** Bad arguments. */
    public static final int USAGE = 2;
    /** A bug or an unexpected I/O failure. */
    public static final int SOFTWARE = 70;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The command line with Drydock's exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new InstallerMain());
        cl.setExitCodeExceptionMapper(e -> SOFTWARE);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            cmd.getErr().println("drydock install " + cmd.getCommandName() + ": " + message);
            if (System.getenv("DRYDOCK_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return e instanceof java.io.IOException ? REJECTED : SOFTWARE;
        });
        return cl;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code == CommandLine.ExitCode.USAGE ? USAGE : code);
    }
}
