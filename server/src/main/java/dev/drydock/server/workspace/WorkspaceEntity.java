package dev.drydock.server.workspace;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Persistence shape of a workspace Drydock has seen in a token (table {@code workspace}). */
@Entity
@Table(name = "workspace")
public class WorkspaceEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String slug;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Comma-separated droid names allowed to run here. */
    @Column(name = "allowed_droids", nullable = false)
    public String allowedDroids;

    /** Comma-separated model route names allowed here; {@code *} for all. */
    @Column(name = "allowed_routes", nullable = false)
    public String allowedRoutes;

    @Column(nullable = false)
    public String autonomy;

    @Column(nullable = false)
    public String classification;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
