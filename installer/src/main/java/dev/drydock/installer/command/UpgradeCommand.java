package dev.drydock.installer.command;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.release.HelmRelease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock install upgrade}: helm upgrade with your values; a redacted support bundle when it fails. */
@Command(
        name = "upgrade",
        description =
                "helm upgrade the chart of an extracted bundle with your values, wait until it is ready; on failure write a redacted support bundle.")
public final class UpgradeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ReleaseOptions options;

    @Option(
            names = "--support-bundle",
            paramLabel = "FILE",
            defaultValue = "drydock-support.tar.gz",
            description = "Where the support bundle goes when Helm fails (default: ${DEFAULT-VALUE}).")
    Path supportBundle;

    /** Where answers to --ask come from (standard input unless a test sets it). */
    public BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    /** The Helm to run (the pinned one unless a test sets it). */
    public @Nullable Helm helm;
    /** The cluster the support bundle reads (the kube context unless a test sets it). */
    public @Nullable Supplier<KubernetesClient> cluster;

    @Override
    public Integer call() throws Exception {
        var request = options.request(input, spec.commandLine().getOut());
        Supplier<KubernetesClient> client = cluster != null
                ? cluster
                : () -> new KubernetesClientBuilder()
                        .withConfig(
                                options.context == null
                                        ? Config.autoConfigure(null)
                                        : Config.autoConfigure(options.context))
                        .build();
        HelmRelease.Outcome outcome = new HelmRelease(helm != null ? helm : Helm.pinned(), client)
                .apply(
                        HelmRelease.Verb.UPGRADE,
                        request,
                        supportBundle,
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr());
        return outcome.exitCode() == 0 ? InstallerMain.OK : InstallerMain.REJECTED;
    }
}
