package dev.drydock.server.session;

import dev.drydock.server.classification.Classification;
import dev.drydock.server.repository.PathLabels;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The classification of what a session's conversation holds so far, which every model request of the
 * session carries. It starts at the session's workspace and repository label and only rises: reading
 * a labelled file raises it to that file's label, a search hit to its path's label, and a command to
 * the highest label of any file in the sandbox (a command can read them all). Each rise is reported
 * once, so that it is recorded in the session's log.
 *
 * <p>Content above {@code clearance} (what the best endpoint of the droid's route is cleared for) is
 * withheld from the session altogether: the sandbox never gets those files and search hits in them
 * are dropped, so the level never rises past what some model may receive.
 */
final class ContentClassification {
    /** Told of each rise, with a short reason a person can read. */
    @FunctionalInterface
    interface Listener {
        void raised(Classification from, Classification to, String reason);
    }

    private final AtomicReference<Classification> level;
    private final Classification clearance;
    private final String repo;
    private final PathLabels labels;
    private final Classification highestPresent;
    private final Function<String, Optional<PathLabels>> otherRepos;
    private final Listener listener;

    /**
     * @param start the level the session starts (or resumes) at
     * @param repo the session's repository ("" for none)
     * @param labels the labels of the session's repository
     * @param highestPresent the highest label of a file in the sandbox
     * @param otherRepos labels of the workspace's other repositories, for search hits in them; read
     *     once per repository for the life of this object (one loop run), not once per hit
     */
    ContentClassification(
            Classification start,
            Classification clearance,
            String repo,
            PathLabels labels,
            Classification highestPresent,
            Function<String, Optional<PathLabels>> otherRepos,
            Listener listener) {
        this.level = new AtomicReference<>(start);
        this.clearance = clearance;
        this.repo = repo;
        this.labels = labels;
        this.highestPresent = highestPresent;
        Map<String, Optional<PathLabels>> known = new ConcurrentHashMap<>();
        this.otherRepos = name -> known.computeIfAbsent(name, otherRepos);
        this.listener = listener;
    }

    Classification current() {
        return Objects.requireNonNull(level.get()); // starts at a level, only ever raised
    }

    /** The label of a path of the session's repository. */
    Classification of(String path) {
        return labels.of(path);
    }

    /** The label of a path of any repository of the workspace; the highest label when the repository is unknown. */
    Classification of(String repo, String path) {
        if (repo.isEmpty() || repo.equals(this.repo)) {
            return labels.of(path);
        }
        return otherRepos.apply(repo).map(l -> l.of(path)).orElse(Classification.SECRET);
    }

    /** Whether content at {@code level} may enter the session at all. */
    boolean admits(Classification content) {
        return clearance.clears(content);
    }

    void read(String path) {
        Classification l = of(path);
        raise(l, "read " + path + " (labelled " + l.label() + ")");
    }

    void ranCommand() {
        raise(
                highestPresent,
                "ran a command, which can read any file in the sandbox (the highest label there is "
                        + highestPresent.label() + ")");
    }

    void raise(Classification to, String reason) {
        Classification from = level.getAndAccumulate(to, Classification::max);
        if (to.compareTo(from) > 0) {
            listener.raised(from, to, reason);
        }
    }
}
