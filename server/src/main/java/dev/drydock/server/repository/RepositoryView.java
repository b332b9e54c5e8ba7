package dev.drydock.server.repository;

/**
 * A repository as the API shows it (credentials are named, never shown), with the project overview
 * of its indexed commit and the progress of its vectors.
 */
public record RepositoryView(
        String workspace,
        String name,
        @org.jspecify.annotations.Nullable String url,
        @org.jspecify.annotations.Nullable String path,
        String branch,
        String classification,
        java.util.List<PathLabels.Label> pathLabels,
        boolean credentialsConfigured,
        String status,
        @org.jspecify.annotations.Nullable String statusDetail,
        double progress,
        @org.jspecify.annotations.Nullable String mirrorCommit,
        @org.jspecify.annotations.Nullable String indexedCommit,
        int files,
        int chunks,
        @org.jspecify.annotations.Nullable String testCommand,
        @org.jspecify.annotations.Nullable String overview,
        RepositoryIndexing.@org.jspecify.annotations.Nullable VectorStatus vectors) {

    static PathLabels labels(RepositoryEntity e) {
        return PathLabels.fromJson(
                dev.drydock.server.classification.Classification.parse(e.classification)
                        .orElseThrow(),
                e.pathLabels);
    }

    static RepositoryView of(RepositoryEntity e) {
        return of(e, null);
    }

    /** With the vector progress of its index (null when not known since start-up). */
    static RepositoryView of(
            RepositoryEntity e, RepositoryIndexing.@org.jspecify.annotations.Nullable VectorStatus vectors) {
        return new RepositoryView(
                e.workspace,
                e.name,
                e.sourceUrl,
                e.sourcePath,
                e.branch,
                e.classification,
                labels(e).labels(),
                e.credentialsSecret != null,
                e.status,
                e.statusDetail,
                e.progress,
                e.mirrorCommit,
                e.indexedCommit,
                e.files,
                e.chunks,
                e.testCommand,
                e.overview,
                vectors);
    }
}
