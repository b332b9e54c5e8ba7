package dev.drydock.server.repository;

import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Throttles manual sync requests: one per repository per {@code drydock.repos.manual-sync-interval}
 * and at most {@code drydock.repos.manual-syncs-per-workspace-per-minute} per workspace. A request
 * over either limit is refused with 429 and the wait after which it would pass ({@code Retry-After}).
 * Scheduled fetches do not pass through here.
 */
@ApplicationScoped
public class SyncThrottle {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Inject
    RepositoryConfig config;

    Clock clock = Clock.systemUTC();

    private final Map<String, Instant> lastByRepository = new HashMap<>();
    private final Map<String, Deque<Instant>> recentByWorkspace = new HashMap<>();

    /** Admits a manual sync of {@code workspace/name} now, or throws 429 saying when to retry. */
    public synchronized void admit(String workspace, String name) {
        Instant now = clock.instant();
        String key = workspace + "/" + name;
        Instant last = lastByRepository.get(key);
        Duration interval = config.manualSyncInterval();
        if (last != null && last.plus(interval).isAfter(now)) {
            Duration wait = Duration.between(now, last.plus(interval));
            throw ProblemException.tooManyRequests(
                    "Repository " + key + " was synced "
                            + Duration.between(last, now).toSeconds()
                            + " s ago; manual syncs of one repository are at least " + interval.toSeconds()
                            + " s apart. Retry in "
                            + Math.max(1, wait.toSeconds()) + " s (the scheduled fetch runs anyway).",
                    wait);
        }
        Deque<Instant> recent = recentByWorkspace.computeIfAbsent(workspace, k -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().plus(WINDOW).isAfter(now)) {
            recent.pollFirst();
        }
        int perMinute = config.manualSyncsPerWorkspacePerMinute();
        if (recent.size() >= perMinute) {
            Duration wait = Duration.between(now, recent.peekFirst().plus(WINDOW));
            throw ProblemException.tooManyRequests(
                    "Workspace " + workspace + " asked for " + recent.size()
                            + " manual syncs in the last minute, the most it may (" + perMinute
                            + " per minute). Retry in " + Math.max(1, wait.toSeconds()) + " s.",
                    wait);
        }
        recent.addLast(now);
        lastByRepository.put(key, now);
    }
}
