package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.OutputChannel;
import dev.drydock.sandbox.OutputLimiter;
import dev.drydock.sandbox.OutputListener;
import dev.drydock.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one host process with streamed, bounded output, stdin written then closed, and a wall-clock
 * timeout after which {@code killTree} runs. Output is drained to the end whatever its size, so the
 * process never blocks on a full pipe, but only {@code outputLimit} bytes per channel are kept.
 */
final class HostProcess {
    /** How a host process ended. */
    record Outcome(
            Process process,
            int exitCode,
            boolean timedOut,
            OutputLimiter stdout,
            OutputLimiter stderr,
            long elapsedNanos) {}

    private HostProcess() {}

    static Outcome run(
            String threadPrefix,
            List<String> argv,
            Map<String, String> hostEnv,
            byte[] stdin,
            Duration timeout,
            OutputListener listener,
            int outputLimit,
            Consumer<Process> started,
            Consumer<Process> killTree) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(hostEnv);
        long start = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new SandboxUnavailableException("cannot start " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        started.accept(process);
        OutputLimiter out = new OutputLimiter(OutputChannel.STDOUT, listener, outputLimit);
        OutputLimiter err = new OutputLimiter(OutputChannel.STDERR, listener, outputLimit);
        Thread outPump = pump(threadPrefix + "-stdout", process.getInputStream(), out);
        Thread errPump = pump(threadPrefix + "-stderr", process.getErrorStream(), err);
        if (stdin.length == 0) {
            closeQuietly(process.getOutputStream());
        } else {
            Thread.ofPlatform().daemon().name(threadPrefix + "-stdin").start(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the command closed its stdin early: not an error
                }
            });
        }
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                killTree.accept(process);
                process.waitFor();
            }
            // The sandbox's pid namespace dies with its init, so no writer outlives the process; bound
            // the wait anyway in case a pipe is held open elsewhere.
            outPump.join(Duration.ofSeconds(10));
            errPump.join(Duration.ofSeconds(10));
            if (outPump.isAlive() || errPump.isAlive()) {
                killTree.accept(process);
                closeQuietly(process.getInputStream());
                closeQuietly(process.getErrorStream());
                outPump.join();
                errPump.join();
            }
        } catch (InterruptedException e) {
            killTree.accept(process);
            Thread.currentThread().interrupt();
        }
        int code = process.isAlive() ? -1 : process.exitValue();
        return new Outcome(process, code, timedOut, out, err, System.nanoTime() - start);
    }

    static Thread pump(String name, InputStream in, OutputLimiter sink) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sink.accept(buffer, 0, n);
                }
            } catch (IOException e) {
                // stream closed after a kill
            }
        });
    }

    private static void closeQuietly(java.io.Closeable in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
