package dev.drydock.server.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Persistence shape of a registered repository (table {@code repository}). */
@Entity
@Table(name = "repository")
public class RepositoryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String name;

    @Column(name = "source_url")
    public @Nullable String sourceUrl;

    @Column(name = "source_path")
    public @Nullable String sourcePath;

    /** Name of the environment variable / Kubernetes Secret key holding the git token; never the token. */
    @Column(name = "credentials_secret")
    public @Nullable String credentialsSecret;

    @Column(nullable = false)
    public String branch;

    @Column(nullable = false)
    public String classification;

    @Column(name = "mirror_commit")
    public @Nullable String mirrorCommit;

    @Column(name = "indexed_commit")
    public @Nullable String indexedCommit;

    @Column(nullable = false)
    public String status;

    @Column(name = "status_detail")
    public @Nullable String statusDetail;

    @Column(nullable = false)
    public double progress;

    @Column(nullable = false)
    public int files;

    @Column(nullable = false)
    public int chunks;

    /** A workspace admin's test command, overriding the one detected from the files. */
    @Column(name = "test_command")
    public @Nullable String testCommand;

    /** Project overview of the indexed commit (Markdown), computed when it was indexed. */
    public @Nullable String overview;

    /** The highest classification of the files the overview was written from. */
    @Column(name = "overview_classification")
    public @Nullable String overviewClassification;

    /** Classification labels on paths, JSON (see {@link PathLabels}). */
    @Column(name = "path_labels", nullable = false)
    public String pathLabels = "[]";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The repository registered under {@code name} in {@code workspace}, read in a transaction of its own. */
    static Optional<RepositoryEntity> byName(String workspace, String name) {
        return QuarkusTransaction.requiringNew()
                .call(() -> RepositoryEntity.<RepositoryEntity>find("workspace = ?1 and name = ?2", workspace, name)
                        .firstResultOptional());
    }
}
