package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.OutputChannel;
import dev.drydock.sandbox.OutputLimiter;
import dev.drydock.sandbox.OutputListener;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.SandboxUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One long-lived host process per sandbox that starts its commands (ADR 0006). It is a root (or, when
 * the manager is not root, the manager's own uid) {@code bash} that joined the sandbox's cgroups once;
 * for each command it forks a subshell that sets the rlimits and starts the same {@code setpriv …
 * bwrap …} as before, so a command inherits the cgroups at fork instead of migrating into them (a
 * cgroup v1 migration waits for an RCU grace period: 3-13 ms on a loaded host). Every command still
 * gets its own bubblewrap: its own namespaces, {@code /tmp}, pid 1 and limits.
 *
 * <p>Each command talks to the manager through four named pipes of a slot under the sandbox's
 * private directory (never mounted into a sandbox): {@code N.st} (status lines), {@code N.in},
 * {@code N.out}, {@code N.err}. The manager opens them read-write first, so neither side ever blocks
 * on an open; the subshell opens them, reports {@code ready PID} and waits for a {@code g} byte on
 * stdin before it starts anything, so a command the manager has given up on never runs.
 */
final class SandboxLauncher implements AutoCloseable {
    private static System.Logger log() {
        return System.getLogger(SandboxLauncher.class.getName());
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("drydock-sandbox-watchdog").factory());

    /**
     * The launcher loop. {@code $1} is the slot folder, {@code $2} the seccomp program, the rest the command prefix. A request is
     * NUL-terminated fields: slot, count, then that many per-command arguments.
     */
    private static final String LOOP = """
            d=$1; f=$2; shift 2; p=("$@")
            echo up
            while IFS= read -r -d '' s && IFS= read -r -d '' n; do
              a=(); for ((i = 0; i < n; i++)); do IFS= read -r -d '' x || exit 0; a+=("$x"); done
              (
                exec 3>"$d/$s.st" <"$d/$s.in" >"$d/$s.out" 2>"$d/$s.err" || exit 1
                echo "ready $BASHPID" >&3
                IFS= read -r -N 1 go && [ "$go" = g ] || exit 0
                %s || { echo "exit 125" >&3; exit 0; }
                "${p[@]}" --json-status-fd 3 "${a[@]}" <&0 %d<"$f" &
                echo "pid $!" >&3
                wait $!
                echo "exit $?" >&3
              ) &
            done
            """;

    private final Process process;
    private final OutputStream requests;
    private final Path slots;
    private final Deque<Integer> free = new ArrayDeque<>();
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final Set<Launched> live = ConcurrentHashMap.newKeySet();

    private SandboxLauncher(Process process, Path slots) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.slots = slots;
    }

    /**
     * Starts the launcher: joins {@code cgroupProcs}, then waits for requests.
     *
     * @param seccompProgram the seccomp program, opened on descriptor {@link SeccompFilter#FD} for each bubblewrap
     * @param prefix what every command starts as (setpriv and bubblewrap with the sandbox's options)
     * @param ulimits the rlimits every command starts with, as shell {@code ulimit} calls
     */
    static SandboxLauncher start(
            Path slots, Path seccompProgram, List<Path> cgroupProcs, String ulimits, List<String> prefix) {
        List<String> argv = new ArrayList<>(List.of(
                "/bin/bash",
                "--noprofile",
                "--norc",
                "-c",
                script(cgroupProcs, ulimits),
                "drydock-launcher",
                slots.toString(),
                seccompProgram.toString()));
        argv.addAll(prefix);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Process process;
        try {
            Files.createDirectories(slots);
            process = pb.start();
        } catch (IOException e) {
            throw new SandboxUnavailableException("cannot start the sandbox launcher: " + e.getMessage(), e);
        }
        try {
            String up = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            if (!"up".equals(up)) {
                process.destroyForcibly();
                String err = new String(process.getErrorStream().readNBytes(4096), StandardCharsets.UTF_8);
                throw new SandboxUnavailableException("the sandbox launcher did not start: " + err.strip());
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new SandboxUnavailableException("the sandbox launcher did not start: " + e.getMessage(), e);
        }
        SandboxLauncher launcher = new SandboxLauncher(process, slots);
        Thread.ofPlatform()
                .daemon()
                .name("drydock-launcher-stderr")
                .start(() -> launcher.logErrors(process.getErrorStream()));
        process.onExit().thenRun(launcher::lost);
        return launcher;
    }

    /** The launcher's bash script: join the cgroups, then serve requests. */
    static String script(List<Path> cgroupProcs, String ulimits) {
        StringBuilder script = new StringBuilder();
        for (Path procs : cgroupProcs) {
            script.append("echo $$ > ")
                    .append(BwrapCommand.shellQuote(procs.toString()))
                    .append(" || exit 125\n");
        }
        return script.append(LOOP.formatted(ulimits, SeccompFilter.FD)).toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The launcher's host pid (tests: it must not be reachable from a command). */
    long pid() {
        return process.pid();
    }

    /**
     * Runs one command: {@code commandArgv} is appended to the prefix. Blocks until the command's
     * bubblewrap has ended (or was killed at the timeout) and its output is drained.
     */
    Outcome run(List<String> commandArgv, byte[] stdin, Duration timeout, OutputListener listener, int outputLimit) {
        long start = System.nanoTime();
        int slot = slot();
        Launched l = new Launched(slot);
        live.add(l);
        try {
            l.open();
            request(slot, commandArgv);
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(l::timeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                return l.await(stdin, listener, outputLimit, start);
            } finally {
                watchdog.cancel(false);
            }
        } catch (IOException e) {
            l.abandon();
            throw new SandboxException("cannot run a command in the sandbox: " + e.getMessage(), e);
        } finally {
            live.remove(l);
            if (l.reusable()) {
                synchronized (free) {
                    free.push(slot);
                }
            }
        }
    }

    /** Kills every command in flight (destroy). */
    void killAll() {
        for (Launched l : live) {
            l.kill();
        }
    }

    @Override
    public void close() {
        killAll();
        process.destroyForcibly();
    }

    private void lost() {
        for (Launched l : live) {
            l.launcherLost();
        }
    }

    private synchronized void request(int slot, List<String> args) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the sandbox launcher has ended");
        }
        StringBuilder r = new StringBuilder();
        r.append(slot).append('\0').append(args.size()).append('\0');
        for (String a : args) {
            r.append(a).append('\0');
        }
        requests.write(r.toString().getBytes(StandardCharsets.UTF_8));
        requests.flush();
    }

    private int slot() {
        synchronized (free) {
            if (!free.isEmpty()) {
                return free.pop();
            }
        }
        int slot = nextSlot.getAndIncrement();
        List<String> mkfifo = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        for (String suffix : List.of("st", "in", "out", "err")) {
            mkfifo.add(slots.resolve(slot + "." + suffix).toString());
        }
        try {
            Process p = new ProcessBuilder(mkfifo).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new SandboxException("cannot create the pipes of a sandbox command: " + out.strip());
            }
        } catch (IOException e) {
            throw new SandboxException("cannot create the pipes of a sandbox command: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
        return slot;
    }

    private void logErrors(InputStream err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String l = line;
                log().log(System.Logger.Level.WARNING, () -> "sandbox launcher: " + l);
            }
        } catch (IOException e) {
            // launcher gone
        }
    }

    /**
     * How a command ended: its exit status as bash reports it (128 + signal for a signal death), or
     * empty when its subshell was lost without reporting one.
     */
    record Outcome(
            OptionalInt exitCode, boolean timedOut, OutputLimiter stdout, OutputLimiter stderr, long elapsedNanos) {}

    private enum State {
        STARTING,
        RUNNING,
        DONE,
        ABANDONED
    }

    /** One command in flight. */
    private final class Launched {
        private final int slot;
        // The command's FIFOs, null until open() (abandon() may run before or during it).
        private @Nullable FileChannel st;
        private @Nullable FileChannel in;
        private @Nullable FileChannel out;
        private @Nullable FileChannel err;
        private State state = State.STARTING;
        private volatile boolean timedOut;
        private volatile boolean lost;
        private Optional<ProcessHandle> subshell = Optional.empty();
        private Optional<ProcessHandle> bwrap = Optional.empty();
        private Optional<ProcessHandle> init = Optional.empty();

        Launched(int slot) {
            this.slot = slot;
        }

        private Path fifo(String suffix) {
            return slots.resolve(slot + "." + suffix);
        }

        /** Read-write opens of a FIFO never block: no rendezvous with the subshell is needed. */
        void open() throws IOException {
            st = FileChannel.open(fifo("st"), StandardOpenOption.READ, StandardOpenOption.WRITE);
            in = FileChannel.open(fifo("in"), StandardOpenOption.READ, StandardOpenOption.WRITE);
            out = FileChannel.open(fifo("out"), StandardOpenOption.READ, StandardOpenOption.WRITE);
            err = FileChannel.open(fifo("err"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        Outcome await(byte[] stdin, OutputListener listener, int outputLimit, long start) throws IOException {
            BufferedReader status = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(opened(st)), StandardCharsets.US_ASCII));
            String ready;
            try {
                ready = status.readLine();
            } catch (IOException e) {
                ready = null; // closed by the watchdog, destroy or a lost launcher
            }
            FileChannel inWrite;
            synchronized (this) {
                if (state != State.STARTING || ready == null || !ready.startsWith("ready ")) {
                    abandon();
                    return new Outcome(
                            OptionalInt.empty(),
                            timedOut,
                            new OutputLimiter(OutputChannel.STDOUT, listener, outputLimit),
                            new OutputLimiter(OutputChannel.STDERR, listener, outputLimit),
                            System.nanoTime() - start);
                }
                subshell = ProcessHandle.of(Long.parseLong(ready.substring(6).trim()));
                // From now on only the subshell and what it starts hold the write ends: reopen read-only
                // so that the reads end when they do.
                FileChannel stRead = FileChannel.open(fifo("st"), StandardOpenOption.READ);
                FileChannel outRead = FileChannel.open(fifo("out"), StandardOpenOption.READ);
                FileChannel errRead = FileChannel.open(fifo("err"), StandardOpenOption.READ);
                inWrite = FileChannel.open(fifo("in"), StandardOpenOption.WRITE);
                closeQuietly(st);
                closeQuietly(out);
                closeQuietly(err);
                closeQuietly(in);
                st = stRead;
                out = outRead;
                err = errRead;
                in = inWrite;
                state = State.RUNNING;
                status = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(st), StandardCharsets.US_ASCII));
            }
            OutputLimiter o = new OutputLimiter(OutputChannel.STDOUT, listener, outputLimit);
            OutputLimiter e = new OutputLimiter(OutputChannel.STDERR, listener, outputLimit);
            Thread outPump = HostProcess.pump("sandbox-stdout", Channels.newInputStream(opened(out)), o);
            Thread errPump = HostProcess.pump("sandbox-stderr", Channels.newInputStream(opened(err)), e);
            feed(inWrite, stdin);
            OptionalInt code = OptionalInt.empty();
            try {
                String line;
                while ((line = status.readLine()) != null) {
                    if (line.startsWith("exit ")) {
                        code = OptionalInt.of(Integer.parseInt(line.substring(5).trim()));
                    } else if (line.startsWith("pid ")) {
                        setBwrap(ProcessHandle.of(
                                Long.parseLong(line.substring(4).trim())));
                    } else if (line.contains("\"child-pid\"")) {
                        setInit(ProcessHandle.of(
                                Long.parseLong(line.replaceAll(".*\"child-pid\":\\s*(\\d+).*", "$1"))));
                    }
                }
            } catch (IOException | NumberFormatException ex) {
                log().log(System.Logger.Level.DEBUG, () -> "status of a sandbox command: " + ex.getMessage());
            }
            try {
                outPump.join(Duration.ofSeconds(10));
                errPump.join(Duration.ofSeconds(10));
                if (outPump.isAlive() || errPump.isAlive()) {
                    kill();
                    closeQuietly(out);
                    closeQuietly(err);
                    outPump.join();
                    errPump.join();
                }
            } catch (InterruptedException ex) {
                kill();
                Thread.currentThread().interrupt();
            }
            awaitNamespaceGone();
            synchronized (this) {
                state = State.DONE;
                closeQuietly(st);
                closeQuietly(out);
                closeQuietly(err);
                closeQuietly(in);
            }
            return new Outcome(code, timedOut, o, e, System.nanoTime() - start);
        }

        private synchronized void setBwrap(Optional<ProcessHandle> h) {
            bwrap = h;
            if (timedOut || lost) {
                kill();
            }
        }

        private synchronized void setInit(Optional<ProcessHandle> h) {
            init = h;
            if (timedOut || lost) {
                kill();
            }
        }

        /** Starts the command (the {@code g} byte), then writes its stdin and closes it. */
        private void feed(FileChannel channel, byte[] stdin) throws IOException {
            OutputStream s = Channels.newOutputStream(channel);
            if (stdin.length == 0) {
                s.write('g');
                s.close();
                return;
            }
            s.write('g');
            s.flush();
            Thread.ofPlatform().daemon().name("sandbox-stdin").start(() -> {
                try (s) {
                    s.write(stdin);
                } catch (IOException ex) {
                    // the command closed its stdin early: not an error
                }
            });
        }

        /**
         * The command's pid namespace is empty once its init is gone or a zombie: the kernel kills and
         * reaps every other member before init can exit.
         */
        private void awaitNamespaceGone() {
            Optional<ProcessHandle> i;
            synchronized (this) {
                i = init;
            }
            if (i.isEmpty()) {
                return;
            }
            Path stat = Path.of("/proc", String.valueOf(i.get().pid()), "stat");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                String s;
                try {
                    s = Files.readString(stat, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    return;
                }
                int paren = s.lastIndexOf(')');
                if (paren < 0
                        || paren + 2 >= s.length()
                        || s.charAt(paren + 2) == 'Z'
                        || !i.get().isAlive()) {
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
        }

        synchronized void timeout() {
            if (state == State.DONE) {
                return;
            }
            timedOut = true;
            if (state == State.STARTING) {
                abandon();
            } else {
                kill();
            }
        }

        synchronized void launcherLost() {
            if (state == State.STARTING) {
                lost = true;
                abandon();
            }
        }

        /**
         * Kills the command's whole tree: its pid namespace's init (the kernel then kills every member),
         * its bubblewrap and the subshell. The handles carry the process start time, so a pid that was
         * reused is not signalled.
         */
        synchronized void kill() {
            if (state == State.STARTING) {
                abandon();
                return;
            }
            init.ifPresent(ProcessHandle::destroyForcibly);
            bwrap.ifPresent(ProcessHandle::destroyForcibly);
            subshell.ifPresent(ProcessHandle::destroyForcibly);
        }

        /**
         * Gives up on a command that has not been started: the slot's pipes are unlinked first (a
         * subshell that has not opened them yet fails), then closed (a subshell waiting for {@code g}
         * reads end of file and exits). Either way the command never runs; the slot is not reused.
         */
        synchronized void abandon() {
            if (state == State.ABANDONED) {
                return;
            }
            state = State.ABANDONED;
            for (String suffix : List.of("st", "in", "out", "err")) {
                try {
                    Files.deleteIfExists(fifo(suffix));
                } catch (IOException e) {
                    log().log(System.Logger.Level.DEBUG, () -> "cannot remove " + fifo(suffix) + ": " + e.getMessage());
                }
            }
            closeQuietly(st);
            closeQuietly(in);
            closeQuietly(out);
            closeQuietly(err);
        }

        /** A FIFO of this command, which await() only reads after open(). */
        private static FileChannel opened(@Nullable FileChannel fifo) {
            return Objects.requireNonNull(fifo, "the command's FIFOs are not open");
        }

        synchronized boolean reusable() {
            return state == State.DONE;
        }
    }

    private static void closeQuietly(java.io.@Nullable Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    static Map<String, String> hostEnvironment() {
        return Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    }
}
