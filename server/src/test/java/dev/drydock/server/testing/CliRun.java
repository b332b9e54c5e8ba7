package dev.drydock.server.testing;

import dev.drydock.cli.DrydockCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the {@code drydock} command line in this JVM: its exit code and what it printed on each stream. */
public record CliRun(int exit, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = DrydockCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
