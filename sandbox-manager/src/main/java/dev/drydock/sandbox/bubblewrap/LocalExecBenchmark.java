package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Measures the local backend against raw bubblewrap in the same run: the round trip of one command
 * through {@link Sandbox#exec} versus the bare {@code bwrap} argv (same binds, same command, no
 * cgroups, rlimits, uid drop or output handling), interleaved so both see the same machine load;
 * and the latency from {@code create} to the end of the first exec.
 */
public final class LocalExecBenchmark {
    /** Percentiles in milliseconds. */
    public record Percentiles(double p50, double p99, double mean) {
        static Percentiles of(List<Long> nanos) {
            long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Percentiles(ms(at(s, 0.50)), ms(at(s, 0.99)), ms((long)
                    Arrays.stream(s).average().orElse(0)));
        }

        private static long at(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }

        private static double ms(long nanos) {
            return nanos / 1_000_000.0;
        }
    }

    /** Results. */
    public record Report(
            List<String> command,
            int iterations,
            Percentiles exec,
            Percentiles rawBwrap,
            Percentiles createToFirstExec,
            String loadBefore,
            String loadAfter) {
        /** exec p50 / raw p50. */
        public double ratio() {
            return exec.p50() / rawBwrap.p50();
        }

        /** One JSON line. */
        public String json() {
            return String.format(
                    Locale.ROOT,
                    "{\"iterations\": %d, \"exec_p50_ms\": %.3f, \"exec_p99_ms\": %.3f, \"raw_bwrap_p50_ms\": %.3f, \"raw_bwrap_p99_ms\": %.3f,"
                            + " \"ratio_p50\": %.3f, \"create_to_first_exec_p50_ms\": %.3f, \"create_to_first_exec_p99_ms\": %.3f,"
                            + " \"load_before\": \"%s\", \"load_after\": \"%s\", \"cores\": %d}",
                    iterations,
                    exec.p50(),
                    exec.p99(),
                    rawBwrap.p50(),
                    rawBwrap.p99(),
                    ratio(),
                    createToFirstExec.p50(),
                    createToFirstExec.p99(),
                    loadBefore,
                    loadAfter,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private final BubblewrapSandboxBackend backend;

    public LocalExecBenchmark(BubblewrapSandboxBackend backend) {
        this.backend = backend;
    }

    /**
     * Runs the benchmark.
     *
     * @param spec the spec from the policy
     * @param command what to run (e.g. {@code true})
     * @param iterations timed iterations per measurement, after {@code warmup} untimed ones
     * @param creates create-to-first-exec samples
     */
    public Report run(SandboxSpec spec, List<String> command, int warmup, int iterations, int creates) {
        String loadBefore = loadAverage();
        Sandbox sandbox = backend.create(spec);
        try {
            // The baseline gets its own workspace owned by the caller: raw bwrap runs as the caller.
            java.nio.file.Path rawWorkspace = java.nio.file.Files.createTempDirectory("drydock-bench-raw-");
            List<String> raw = new BwrapCommand(
                            backend.bwrapPath(),
                            rawWorkspace,
                            BwrapCommand.WORKSPACE,
                            BwrapCommand.baseEnvironment(),
                            spec.limits(),
                            OptionalInt.empty(),
                            false,
                            backend.hostFiles().etc(),
                            false,
                            List.of(),
                            command)
                    .rawBwrapArgv();
            ExecRequest request = ExecRequest.of(command);
            List<Long> execTimes = new ArrayList<>();
            List<Long> rawTimes = new ArrayList<>();
            for (int i = 0; i < warmup + iterations; i++) {
                long e = timeExec(sandbox, request);
                long r = timeRaw(raw);
                if (i >= warmup) {
                    execTimes.add(e);
                    rawTimes.add(r);
                }
            }
            List<Long> createTimes = new ArrayList<>();
            for (int i = 0; i < creates; i++) {
                long start = System.nanoTime();
                Sandbox fresh = backend.create(spec);
                try {
                    check(fresh.exec(request));
                    createTimes.add(System.nanoTime() - start);
                } finally {
                    fresh.destroy();
                }
            }
            BubblewrapSandbox.deleteTree(rawWorkspace);
            return new Report(
                    command,
                    iterations,
                    Percentiles.of(execTimes),
                    Percentiles.of(rawTimes),
                    Percentiles.of(createTimes),
                    loadBefore,
                    loadAverage());
        } catch (IOException e) {
            throw new SandboxException("cannot create the baseline workspace: " + e.getMessage(), e);
        } finally {
            sandbox.destroy();
        }
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim()
                    .split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long timeExec(Sandbox sandbox, ExecRequest request) {
        long start = System.nanoTime();
        check(sandbox.exec(request));
        return System.nanoTime() - start;
    }

    private static void check(ExecResult r) {
        if (r.exitCode() != 0) {
            throw new SandboxException("benchmark command failed in the sandbox: " + r.statusLine() + " "
                    + r.stderr().text());
        }
    }

    private static long timeRaw(List<String> argv) {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new SandboxException("raw bwrap failed with exit " + code + ": " + String.join(" ", argv));
            }
        } catch (IOException e) {
            throw new SandboxException("cannot run raw bwrap: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
        return System.nanoTime() - start;
    }
}
