package dev.drydock.installer.command;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.release.HelmRelease;
import dev.drydock.installer.release.ReleaseRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock install render}: the objects the release would create, without a cluster. */
@Command(
        name = "render",
        description =
                "Render the chart with your values (helm template), without a cluster: review it, or apply it with your own tooling.")
public final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ReleaseOptions options;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the objects here instead of standard output.")
    Path out;

    /** Where answers to --ask come from (standard input unless a test sets it). */
    public BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    /** The Helm to run (the pinned one unless a test sets it). */
    public @Nullable Helm helm;

    @Override
    public Integer call() throws Exception {
        ReleaseRequest request = options.request(input, spec.commandLine().getOut());
        Helm.Result result = new HelmRelease(helm != null ? helm : Helm.pinned(), () -> {
                    throw new IllegalStateException("render needs no cluster");
                })
                .render(request);
        if (!result.ok()) {
            spec.commandLine()
                    .getErr()
                    .println("drydock install render: " + result.stderr().strip());
            return InstallerMain.REJECTED;
        }
        if (out != null) {
            Files.writeString(out, result.stdout());
            spec.commandLine().getOut().println("wrote " + out);
        } else {
            spec.commandLine().getOut().print(result.stdout());
        }
        return InstallerMain.OK;
    }
}
