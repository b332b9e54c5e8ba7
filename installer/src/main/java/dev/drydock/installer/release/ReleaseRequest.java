package dev.drydock.installer.release;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Helm release operation: which chart, which release in which namespace, with which values.
 *
 * @param chart the chart package ({@code chart/drydock-<version>.tgz} of an extracted bundle) or folder
 * @param release release name
 * @param namespace release namespace
 * @param valueFiles {@code -f} files, in order (later ones win), e.g. {@code chart/values-images.yaml} then the site's
 * @param set {@code --set} values (typed as Helm types them: numbers, booleans), applied last
 * @param timeout how long Helm waits for the release to become ready
 * @param kubeContext kubeconfig context; empty: the current one
 */
public record ReleaseRequest(
        Path chart,
        String release,
        String namespace,
        List<Path> valueFiles,
        Map<String, String> set,
        Duration timeout,
        java.util.Optional<String> kubeContext) {
    public ReleaseRequest {
        valueFiles = List.copyOf(valueFiles);
        set = Map.copyOf(new java.util.TreeMap<>(set));
        if (!release.matches("[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?")) {
            throw new IllegalArgumentException("release name '" + release
                    + "' is not a valid Helm release name (lower case letters, digits and '-', at most 53)");
        }
    }

    /** {@code helm template}: renders without a cluster. */
    public List<String> templateArgs() {
        List<String> args = new ArrayList<>(List.of("template", release, chart.toString(), "--namespace", namespace));
        addValues(args);
        return args;
    }

    /**
     * {@code helm install}: waits until every resource is ready and every Job (the realm Job) has finished.
     * No automatic rollback: a failed release stays as it is, so the support bundle can show why.
     */
    public List<String> installArgs() {
        return clusterArgs("install");
    }

    /** {@code helm upgrade}: as install; roll back with {@code helm rollback} after reading the support bundle. */
    public List<String> upgradeArgs() {
        return clusterArgs("upgrade");
    }

    private List<String> clusterArgs(String verb) {
        List<String> args = new ArrayList<>(List.of(
                verb,
                release,
                chart.toString(),
                "--namespace",
                namespace,
                "--wait=watcher",
                "--wait-for-jobs",
                "--timeout",
                seconds()));
        kubeContext.ifPresent(c -> args.addAll(List.of("--kube-context", c)));
        addValues(args);
        return args;
    }

    private String seconds() {
        return timeout.toSeconds() + "s";
    }

    private void addValues(List<String> args) {
        for (Path f : valueFiles) {
            args.add("--values");
            args.add(f.toString());
        }
        set.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
    }
}
