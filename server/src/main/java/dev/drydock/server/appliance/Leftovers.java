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

    private static final String LEFT_BY_EARLIER_RUN = "left running by an earlier 'drydock up' of this home";

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
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(keycloakMarker))
                        .orElse(false))
                .toList();
        for (ProcessHandle p : keycloak) {
            stopTree("keycloak", p, LEFT_BY_EARLIER_RUN, grace);
            stopped.add("keycloak (pid " + p.pid() + ")");
        }
        Optional<ProcessHandle> postgres = postmaster(postgresData);
        if (postgres.isPresent()) {
            stopTree("postgresql", postgres.get(), LEFT_BY_EARLIER_RUN, grace);
            stopped.add("postgresql (pid " + postgres.get().pid() + ")");
        }
        removeStalePidFile(postgresData);
        stopped.forEach(s -> LOG.infof("stopped %s left running by an earlier run of this home", s));
        return stopped;
    }

    /**
     * Removes a {@code postmaster.pid} that names a live process which is not a PostgreSQL server: the
     * kernel gave the dead postmaster's pid to another program (after a reboot, or in a busy
     * container), and PostgreSQL refuses to start while its lock file names a live process ("lock file
     * already exists"). The program itself is left alone. A pid file naming a dead process stays:
     * PostgreSQL replaces that one itself. Safe because the caller holds the home's lock and any
     * postmaster of this data folder was stopped just before.
     */
    static boolean removeStalePidFile(Path postgresData) {
        Path pidFile = postgresData.resolve("postmaster.pid");
        Optional<Long> pid = pidIn(pidFile);
        if (pid.isEmpty() || postmaster(postgresData).isPresent()) {
            return false;
        }
        boolean alive = ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return false;
        }
        try {
            Files.deleteIfExists(pidFile);
            LOG.infof(
                    "removed %s: it names pid %d, which is no longer PostgreSQL but another program (left alone)",
                    pidFile, pid.get());
            return true;
        } catch (IOException e) {
            throw new ApplianceException(
                    "postgresql",
                    pidFile + " names pid " + pid.get()
                            + ", another program; PostgreSQL will not start while it exists and it cannot be removed ("
                            + e.getMessage() + "): remove it yourself and start again",
                    e);
        }
    }

    private static Optional<Long> pidIn(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.getFirst().strip().matches("[0-9]{1,10}")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException e) {
            LOG.debugf("cannot read %s: %s", pidFile, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The live postmaster named by the first line of {@code postmaster.pid}, if it is a PostgreSQL
     * server. A pid the kernel has since given to another program is not stopped ({@link
     * #removeStalePidFile} deals with the file).
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
                    .filter(p ->
                            p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (IOException e) {
            LOG.debugf("cannot read %s: %s", pidFile, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stops a process and its children: TERM, then KILL after {@code grace}; throws when one survives
     * even that. Also how {@link KeycloakProcess} stops the Keycloak it started.
     */
    static void stopTree(String component, ProcessHandle process, String origin, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            if (!exits(component, tree, p, grace)) {
                p.destroyForcibly();
                if (!exits(component, tree, p, grace)) {
                    throw new ApplianceException(
                            component,
                            "process " + p.pid() + " " + origin + " does not stop; stop it yourself (kill -9 " + p.pid()
                                    + ") and start again");
                }
            }
        }
    }

    /** Whether {@code p} exits within {@code grace}; interrupted, it kills the whole tree and gives up. */
    private static boolean exits(String component, List<ProcessHandle> tree, ProcessHandle p, Duration grace) {
        try {
            p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
            throw new ApplianceException(component, "interrupted while stopping it; its processes were killed", e);
        }
    }
}
