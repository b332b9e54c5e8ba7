package dev.drydock.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The plain-Java command line behind {@code ./drydock} for everything that is not the appliance
 * itself ({@code up}) or the build ({@code test}): indexing, search, benchmarks, sandbox checks,
 * model checks. It starts no Quarkus runtime, so each command starts in well under a second.
 *
 * <p>Each feature contributes one picocli command class, registered in {@link #SUBCOMMANDS}.
 * Commands return their exit code; they never call {@link System#exit} themselves.
 */
@Command(
        name = "drydock",
        mixinStandardHelpOptions = false,
        description = "Drydock command line (run through ./drydock).")
public final class DrydockCli implements Callable<Integer> {

    /** Every subcommand, in the order {@code ./drydock help} lists them. One line per feature. */
    static final List<Object> SUBCOMMANDS = List.of(
            new dev.drydock.cli.search.IndexCommand(),
            new dev.drydock.cli.search.SearchCommand(),
            new dev.drydock.cli.bench.BenchCommand(),
            new dev.drydock.cli.sandbox.SandboxCommand(),
            new dev.drydock.cli.login.LoginCommand(),
            new dev.drydock.cli.login.LoginCommand.Logout(),
            new dev.drydock.cli.audit.AuditCommand(),
            new dev.drydock.cli.realm.RealmCommand(),
            new dev.drydock.cli.model.ModelCommand(),
            new dev.drydock.cli.repo.RepoCommand(),
            new dev.drydock.cli.mcp.McpCommand(),
            new dev.drydock.cli.session.SessionCommand(),
            new dev.drydock.cli.migration.MigrationCommand());

    @Override
    public Integer call() {
        new CommandLine(this).usage(new PrintWriter(System.err, true));
        return CliExit.USAGE;
    }

    /** Builds the command tree with Drydock's error handling: usage errors exit 2, bugs exit 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DrydockCli());
        for (Object sub : SUBCOMMANDS) {
            cli.addSubcommand(sub);
        }
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("drydock: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return CliExit.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof CliException userError) {
                err.println("drydock " + commandLine.getCommandName() + ": " + userError.getMessage());
                return userError.exitCode();
            }
            err.println("drydock "
                    + commandLine.getCommandName()
                    + ": internal error: "
                    + ex
                    + " (this is a bug; rerun with DRYDOCK_DEBUG=1 for details)");
            if (System.getenv("DRYDOCK_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return CliExit.SOFTWARE;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
