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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code install} and {@code upgrade} share: the release options, the Helm run against the
 * cluster, and the redacted support bundle when Helm fails. A subclass names only its verb.
 */
abstract class ReleaseCommand implements Callable<Integer> {
    private final HelmRelease.Verb verb;

    ReleaseCommand(HelmRelease.Verb verb) {
        this.verb = verb;
    }

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
                        verb,
                        request,
                        supportBundle,
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr());
        return outcome.exitCode() == 0 ? InstallerMain.OK : InstallerMain.REJECTED;
    }
}
