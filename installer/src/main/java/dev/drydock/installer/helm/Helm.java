package dev.drydock.installer.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Helm binary offline with its own empty config, cache and data folders, so nothing of the
 * user's Helm setup (repositories, plugins) takes part.
 */
public final class Helm {
    private final Path binary;
    private final Path home;

    /** @param home folder for Helm's config, cache and data (created on demand) */
    public Helm(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /** The pinned Helm (see {@link HelmBinary}) with its folders under the Drydock cache. */
    public static Helm pinned() throws IOException {
        return new Helm(
                HelmBinary.obtain(), HelmBinary.cacheDir().resolve("helm").resolve("home"));
    }

    /** Exit code and output of one Helm run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The output, or an exception with Helm's error. */
        public String orThrow() throws IOException {
            if (!ok()) {
                throw new IOException("helm failed (exit " + exitCode + "): " + stderr.strip());
            }
            return stdout;
        }
    }

    /** {@code helm template RELEASE CHART -n NAMESPACE -f VALUES… --set K=V…}. */
    public Result template(Path chart, String release, String namespace, List<Path> values, Map<String, String> set)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("template", release, chart.toString(), "--namespace", namespace));
        addValues(args, values, set);
        return run(args);
    }

    /** {@code helm lint --strict CHART -f VALUES…}. */
    public Result lint(Path chart, List<Path> values) throws IOException {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", chart.toString()));
        addValues(args, values, Map.of());
        return run(args);
    }

    private static void addValues(List<String> args, List<Path> values, Map<String, String> set) {
        for (Path v : values) {
            args.add("--values");
            args.add(v.toString());
        }
        set.forEach((k, v) -> {
            args.add("--set-string");
            args.add(k + "=" + v);
        });
    }

    /** Runs Helm with the given arguments, offline: no kube context, at most 2 minutes. */
    public Result run(List<String> args) throws IOException {
        return run(args, false, java.time.Duration.ofMinutes(2));
    }

    /**
     * Runs Helm against the cluster of the user's kube context ({@code KUBECONFIG} or {@code ~/.kube/config}
     * kept), for at most {@code limit}.
     */
    public Result runOnCluster(List<String> args, java.time.Duration limit) throws IOException {
        return run(args, true, limit);
    }

    private Result run(List<String> args, boolean cluster, java.time.Duration limit) throws IOException {
        Files.createDirectories(home);
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        Path out = Files.createTempFile("helm-", ".out");
        Path err = Files.createTempFile("helm-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            Map<String, String> env = pb.environment();
            env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
            env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
            env.put("HELM_DATA_HOME", home.resolve("data").toString());
            if (!cluster) {
                env.remove("KUBECONFIG");
            }
            Process p = pb.start();
            try {
                if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(
                            "helm " + args.getFirst() + " did not finish within " + limit.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while running helm", e);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }
}
