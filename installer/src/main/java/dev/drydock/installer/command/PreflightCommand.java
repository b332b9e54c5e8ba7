package dev.drydock.installer.command;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.preflight.CheckResult;
import dev.drydock.installer.preflight.Preflight;
import dev.drydock.installer.preflight.PreflightReport;
import dev.drydock.installer.preflight.PreflightSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock install preflight}: read-only checks of the cluster of the current kube context. */
@Command(
        name = "preflight",
        description =
                "Check the cluster before installing: version, namespaces, RBAC, StorageClass, RuntimeClass, NetworkPolicy enforcement, DNS port, registry. Changes nothing; exits 1 on blockers.")
public final class PreflightCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--context", description = "kubeconfig context (default: the current one)")
    String context;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "drydock",
            description = "Release namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(
            names = "--sandbox-namespace",
            defaultValue = "drydock-sandboxes",
            description = "sandbox.namespace.name (default: ${DEFAULT-VALUE})")
    String sandboxNamespace;

    @Option(names = "--openshift", description = "openshift.enabled")
    boolean openshift;

    @Option(names = "--dns-port", description = "networkPolicy.dns.port (default: 5353 with --openshift, 53 otherwise)")
    Integer dnsPort;

    @Option(names = "--runtime-class", description = "sandbox.runtimeClassName")
    String runtimeClass;

    @Option(
            names = "--storage-class",
            description = "persistence.storageClassName (default: the cluster's default class)")
    String storageClass;

    @Option(names = "--no-persistence", description = "persistence.enabled=false")
    boolean noPersistence;

    @Option(
            names = "--registry",
            paramLabel = "HOST[:PORT]",
            description = "The registry the images will be pushed to and pulled from")
    String registry;

    @Option(names = "--plain-http", description = "Reach the registry over http")
    boolean plainHttp;

    @Override
    public Integer call() {
        PreflightSettings settings = new PreflightSettings(
                namespace,
                sandboxNamespace,
                openshift,
                Optional.ofNullable(dnsPort),
                Optional.ofNullable(runtimeClass),
                !noPersistence,
                Optional.ofNullable(storageClass),
                Optional.ofNullable(registry),
                plainHttp);
        Config config = Config.autoConfigure(context);
        config.setRequestRetryBackoffLimit(1);
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            return report(client, settings);
        }
    }

    /** Runs the checks against {@code client} and prints the report; the exit code says whether anything blocks. */
    public int report(KubernetesClient client, PreflightSettings settings) {
        List<CheckResult> results = Preflight.run(client, settings);
        spec.commandLine()
                .getOut()
                .print(PreflightReport.format(client.getMasterUrl().toString(), results));
        spec.commandLine().getOut().flush();
        return Preflight.blocked(results) ? InstallerMain.REJECTED : InstallerMain.OK;
    }
}
