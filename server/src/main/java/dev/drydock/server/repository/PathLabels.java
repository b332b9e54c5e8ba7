package dev.drydock.server.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.PathPattern;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classification labels on paths of one repository: each glob ({@link PathPattern}) raises the
 * content under it above the repository's own label. A path takes the highest label that covers it,
 * and never less than the repository's.
 */
public final class PathLabels {
    /** At most this many labels per repository. */
    static final int MAX_LABELS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One label as the API takes and shows it: {@code {"path": "deploy/prod", "classification": "secret"}}. */
    public record Label(String path, String classification) {}

    private final Classification base;
    private final List<Label> labels;
    private final List<PathPattern> patterns;
    private final List<Classification> levels;

    /** @param base the repository's label */
    public PathLabels(Classification base, List<Label> labels) {
        this.base = base;
        this.labels = List.copyOf(labels);
        this.patterns = this.labels.stream().map(l -> new PathPattern(l.path())).toList();
        this.levels = this.labels.stream()
                .map(l -> Classification.parse(l.classification()).orElseThrow())
                .toList();
    }

    /** The repository's own label. */
    public Classification base() {
        return base;
    }

    public List<Label> labels() {
        return labels;
    }

    /** The highest label of the repository or any of its paths. */
    public Classification highest() {
        return levels.stream().reduce(base, Classification::max);
    }

    /** The repository label alone. */
    public static PathLabels none(Classification base) {
        return new PathLabels(base, List.of());
    }

    /**
     * Validates labels from a request: each path a supported glob, each classification a known label
     * above the repository's (a path label only raises), no path twice.
     *
     * @throws ProblemException 400 with the first problem found
     */
    public static PathLabels validated(Classification base, @Nullable List<Label> requested) {
        if (requested == null) {
            return none(base);
        }
        if (requested.size() > MAX_LABELS) {
            throw ProblemException.badRequest(
                    "at most " + MAX_LABELS + " path labels per repository (got " + requested.size() + ")");
        }
        List<Label> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Label l : requested) {
            if (l == null || l.path() == null || l.classification() == null) {
                throw ProblemException.badRequest(
                        "each path label needs a path (a glob such as deploy/prod or **/*.pem) and a classification");
            }
            PathPattern pattern;
            try {
                pattern = new PathPattern(l.path());
            } catch (InvalidSpecException e) {
                throw ProblemException.badRequest(Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
            Classification level = Classification.parse(l.classification())
                    .orElseThrow(() -> ProblemException.badRequest(
                            "classification of path '" + l.path() + "' must be one of " + Classification.labels()));
            if (!level.clears(base) || level == base) {
                throw ProblemException.badRequest("path '" + pattern.glob() + "' is labelled " + level.label()
                        + ", which does not raise the repository's " + base.label()
                        + "; a path label can only raise it");
            }
            if (!seen.add(pattern.glob())) {
                throw ProblemException.badRequest("path '" + pattern.glob() + "' is labelled twice");
            }
            out.add(new Label(pattern.glob(), level.label()));
        }
        return new PathLabels(base, out);
    }

    /** Labels as stored (column {@code repository.path_labels}); labels stored by this class are valid by construction. */
    static PathLabels fromJson(Classification base, String json) {
        if (json == null || json.isBlank()) {
            return none(base);
        }
        try {
            return new PathLabels(base, JSON.readValue(json, new TypeReference<List<Label>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "repository.path_labels is not a JSON list of labels: " + e.getOriginalMessage(), e);
        }
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classification of the content at {@code path}: the highest label covering it, at least the repository's. */
    public Classification of(String path) {
        Classification level = base;
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(path)) {
                level = level.max(levels.get(i));
            }
        }
        return level;
    }

    /** The patterns whose content is above {@code clearance}: what a session cleared only that far must never see. */
    public List<PathPattern> above(Classification clearance) {
        List<PathPattern> out = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (!clearance.clears(levels.get(i))) {
                out.add(patterns.get(i));
            }
        }
        return out;
    }
}
