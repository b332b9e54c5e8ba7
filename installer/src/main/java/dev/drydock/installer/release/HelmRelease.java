package dev.drydock.installer.release;

import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Render, install or upgrade a release with Helm. Install and upgrade render first (so values that the
 * schema or the chart refuse fail before anything touches the cluster), then run Helm against the kube
 * context; when Helm fails they write a redacted {@link SupportBundle}.
 */
public final class HelmRelease {
    /** What to do. */
    public enum Verb {
        INSTALL,
        UPGRADE
    }

    /** The outcome: Helm's exit code and, after a failure, the support bundle written. */
    public record Outcome(int exitCode, java.util.Optional<Path> supportBundle) {}

    private final Helm helm;
    private final Supplier<KubernetesClient> cluster;

    /** @param cluster opens a client for the same kube context Helm uses (for the support bundle) */
    public HelmRelease(Helm helm, Supplier<KubernetesClient> cluster) {
        this.helm = helm;
        this.cluster = cluster;
    }

    /** {@code helm template}: the rendered objects, or Helm's error. */
    public Helm.Result render(ReleaseRequest request) throws IOException {
        return helm.run(request.templateArgs());
    }

    /** Install or upgrade; on failure writes the support bundle to {@code supportBundle}. */
    public Outcome apply(Verb verb, ReleaseRequest request, Path supportBundle, PrintWriter out, PrintWriter err)
            throws IOException {
        Helm.Result rendered = render(request);
        if (!rendered.ok()) {
            err.println("the chart does not render with these values (nothing was sent to the cluster):");
            err.println(rendered.stderr().strip());
            return new Outcome(rendered.exitCode(), java.util.Optional.empty());
        }
        List<String> args = verb == Verb.INSTALL ? request.installArgs() : request.upgradeArgs();
        out.println("helm "
                + String.join(
                        " ",
                        args.stream()
                                .map(a -> a.contains("=") && a.matches("(?i).*(password|secret|token|credential).*")
                                        ? a.substring(0, a.indexOf('=') + 1) + Redaction.REDACTED
                                        : a)
                                .toList()));
        out.flush();
        Helm.Result result = helm.runOnCluster(args, request.timeout().plus(Duration.ofMinutes(1)));
        if (result.ok()) {
            out.print(result.stdout());
            return new Outcome(0, java.util.Optional.empty());
        }
        err.println("helm " + verb.name().toLowerCase(java.util.Locale.ROOT) + " failed (exit " + result.exitCode()
                + "): " + Redaction.text(result.stderr().strip()));
        SupportBundle bundle = new SupportBundle()
                .helm(args, result.exitCode(), result.stdout(), result.stderr())
                .values(request.valueFiles(), request.set())
                .rendered(rendered.stdout());
        try (KubernetesClient client = cluster.get()) {
            bundle.cluster(client, request.namespace(), otherNamespaces(rendered.stdout(), request.namespace()));
        } catch (RuntimeException e) {
            bundle.note(
                    "cluster.txt",
                    "could not read the cluster: " + Redaction.text(String.valueOf(e.getMessage())) + "\n");
        }
        bundle.write(supportBundle);
        err.println("wrote the support bundle " + supportBundle
                + " (secrets removed: check it before you send it). The release is left as it is;"
                + (verb == Verb.UPGRADE
                        ? " helm rollback " + request.release() + " -n " + request.namespace()
                                + " returns to the previous revision."
                        : " helm uninstall " + request.release() + " -n " + request.namespace() + " removes it."));
        return new Outcome(result.exitCode(), java.util.Optional.of(supportBundle));
    }

    /** Namespaces the chart creates besides the release's (the sandbox namespace). */
    static List<String> otherNamespaces(String manifests, String releaseNamespace) throws IOException {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> ns : RenderedChart.parse(manifests).ofKind("Namespace")) {
            String name = RenderedChart.name(ns);
            if (!name.equals(releaseNamespace)) {
                names.add(name);
            }
        }
        return names;
    }
}
