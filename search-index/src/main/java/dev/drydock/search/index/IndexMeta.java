package dev.drydock.search.index;

import dev.drydock.search.SearchException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Index-wide facts stored in the Lucene commit user data, so they change atomically with the
 * documents: schema version, embedding model and dimensions, and the revision indexed per repo.
 */
public record IndexMeta(int schemaVersion, @Nullable String modelId, int dimensions, Map<String, String> revisions) {
    private static final String SCHEMA = "drydock.schema";
    private static final String MODEL = "drydock.model";
    private static final String DIMENSIONS = "drydock.dimensions";
    private static final String REPO_PREFIX = "drydock.repo.";

    public IndexMeta {
        revisions = Map.copyOf(revisions);
    }

    public static IndexMeta empty() {
        return new IndexMeta(IndexSchema.VERSION, null, 0, Map.of());
    }

    public static IndexMeta fromUserData(Map<String, String> data) {
        String schema = data.get(SCHEMA);
        if (schema == null) {
            throw new SearchException("not a Drydock search index (no schema version in its commit data)");
        }
        Map<String, String> revisions = new TreeMap<>();
        data.forEach((k, v) -> {
            if (k.startsWith(REPO_PREFIX)) {
                revisions.put(k.substring(REPO_PREFIX.length()), v);
            }
        });
        String model = data.get(MODEL);
        return new IndexMeta(
                Integer.parseInt(schema),
                model == null || model.isEmpty() ? null : model,
                Integer.parseInt(data.getOrDefault(DIMENSIONS, "0")),
                revisions);
    }

    public Map<String, String> toUserData() {
        Map<String, String> data = new HashMap<>();
        data.put(SCHEMA, Integer.toString(schemaVersion));
        data.put(MODEL, modelId == null ? "" : modelId);
        data.put(DIMENSIONS, Integer.toString(dimensions));
        revisions.forEach((repo, rev) -> data.put(REPO_PREFIX + repo, rev));
        return data;
    }

    public IndexMeta withRevision(String repo, String revision, @Nullable String model, int dims) {
        Map<String, String> next = new TreeMap<>(revisions);
        next.put(repo, revision);
        return new IndexMeta(IndexSchema.VERSION, model, dims, next);
    }

    /** The same revisions with vectors of {@code model} ({@code dims} wide). */
    public IndexMeta withModel(@Nullable String model, int dims) {
        return new IndexMeta(IndexSchema.VERSION, model, dims, revisions);
    }
}
