package dev.drydock.server.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * What a dead {@code ./drydock up} of the same home left running: a server killed with {@code kill -9}
 * or by the kernel's out-of-memory killer takes neither its PostgreSQL (a daemon with its own
 * {@code postmaster.pid}) nor its Keycloak (a forked JVM) with it, and both keep the home's ports and
 * data folder busy. Only called while the caller holds the home's lock, so nothing found here belongs
 * to a live run: each leftover is stopped (Keycloak first, so PostgreSQL loses its clients), politely
 * and then forcibly.
 */
final class Leftovers {
    private static final Logger LOG = Logger.getLogger(Leftovers.class);

    private Leftovers() {}

    /**
     * Stops the PostgreSQL whose {@code postmaster.pid} is in {@code postgresData} and every process
     * whose command line names {@code keycloakInstall}; returns one line per process stopped.
     */
    static List<String> stop(Path postgresData, Path keycloakInstall, Duration grace) {
        List<String> stopped = new ArrayList<>();
        String keycloakMarker = keycloakInstall.toAbsolutePath().normalize().toString() + "/";
        List<ProcessHandle> keycloak = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(keycloakMarker)).orElse(false))
                .toList();
        for (ProcessHandle p : keycloak) {
            stop("keycloak", p, grace);
            stopped.add("keycloak (pid " + p.pid() + ")");
        }
        Optional<ProcessHandle> postgres = postmaster(postgresData);
        if (postgres.isPresent()) {
            stop("postgresql", postgres.get(), grace);
            stopped.add("postgresql (pid " + postgres.get().pid() + ")");
        }
        stopped.forEach(s -> LOG.infof("stopped %s left running by an earlier run of this home", s));
        return stopped;
    }

    /**
     * The live postmaster named by the first line of {@code postmaster.pid}, if it is a PostgreSQL
     * server. A pid the kernel has since given to another program is left alone; PostgreSQL itself
     * replaces a stale pid file on start.
     */
    static Optional<ProcessHandle> postmaster(Path postgresData) {
        Path pidFile = postgresData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.getFirst().strip().matches("[0-9]{1,10}")) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.getFirst().strip()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (IOException e) {
            LOG.debugf("cannot read %s: %s", pidFile, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stops a process and its children: TERM, then KILL after {@code grace}. */
    private static void stop(String component, ProcessHandle process, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            if (!exits(p, grace)) {
                p.destroyForcibly();
                if (!exits(p, grace)) {
                    throw new ApplianceException(component, "process " + p.pid() + " left running by an earlier 'drydock up' of this home"
                            + " does not stop; stop it yourself (kill -9 " + p.pid() + ") and start again");
                }
            }
        }
    }

    private static boolean exits(ProcessHandle p, Duration grace) {
        try {
            p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplianceException("home", "interrupted while stopping what an earlier run left", e);
        }
    }
}
