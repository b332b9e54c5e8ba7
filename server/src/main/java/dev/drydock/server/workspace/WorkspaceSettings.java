package dev.drydock.server.workspace;

import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/**
 * Reads the workspace policy (table {@code workspace}, written by {@link WorkspaceService}) as droid
 * sessions need it: the autonomy level, and which droids and model routes may run. Each read runs in a
 * transaction of its own when the caller has none, so session threads read it too.
 */
@ApplicationScoped
public class WorkspaceSettings {
    /** The policy's default when the workspace has no row yet. */
    static final Autonomy DEFAULT_AUTONOMY = Autonomy.APPROVE_WRITES;

    @Inject
    EntityManager em;

    /** A workspace's policy as sessions use it. */
    public record Policy(Autonomy autonomy, List<String> allowedDroids, List<String> allowedRoutes) {
        public boolean allowsDroid(String droid) {
            return allowedDroids.contains(droid);
        }

        public boolean allowsRoute(String route) {
            return allowedRoutes.contains("*") || allowedRoutes.contains(route);
        }
    }

    /** The workspace's policy; the default policy when the workspace has no row yet. */
    public Policy policy(String workspace) {
        return find(workspace)
                .map(w -> new Policy(
                        Autonomy.ofLabel(w.autonomy),
                        List.of(w.allowedDroids.split(",")),
                        List.of(w.allowedRoutes.split(","))))
                .orElse(new Policy(DEFAULT_AUTONOMY, List.of("code", "knowledge", "reliability"), List.of("*")));
    }

    /** The workspace's data classification label (the gateway only sends it to endpoints cleared for it). */
    public String classification(String workspace) {
        return find(workspace).map(w -> w.classification).orElse(Classification.INTERNAL.label());
    }

    /**
     * The classification of a session's content: the higher of its workspace's and, when the session
     * works on a repository registered in the workspace, that repository's label.
     */
    public String classification(String workspace, String repo) {
        String label = classification(workspace);
        if (repo.isEmpty()) {
            return label;
        }
        @SuppressWarnings("unchecked")
        List<String> repoLabels = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "select classification from repository where workspace = ?1 and name = ?2")
                        .setParameter(1, workspace)
                        .setParameter(2, repo)
                        .getResultList());
        for (String repoLabel : repoLabels) {
            if (rank(repoLabel) > rank(label)) {
                label = repoLabel;
            }
        }
        return label;
    }

    private static int rank(String label) {
        return Classification.parse(label).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
    }

    public Autonomy autonomy(String workspace) {
        return policy(workspace).autonomy();
    }

    /** Refuses (403) a droid or route the workspace policy does not allow. */
    public void requireAllowed(String workspace, String droid, String route) {
        Policy p = policy(workspace);
        if (!p.allowsDroid(droid)) {
            throw ProblemException.forbidden("the " + droid + " droid is not allowed in workspace " + workspace
                    + " (allowed: " + String.join(", ", p.allowedDroids()) + ")");
        }
        if (!p.allowsRoute(route)) {
            throw ProblemException.forbidden("model route '" + route + "' is not allowed in workspace " + workspace);
        }
    }

    private static Optional<WorkspaceEntity> find(String workspace) {
        return QuarkusTransaction.joiningExisting()
                .call(() ->
                        WorkspaceEntity.<WorkspaceEntity>find("slug", workspace).firstResultOptional());
    }
}
