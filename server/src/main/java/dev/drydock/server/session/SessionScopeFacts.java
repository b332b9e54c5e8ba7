package dev.drydock.server.session;

import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.frontdoor.ScopeFacts;
import dev.drydock.server.workspace.WorkspaceSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers the /v1 front door about workspaces and sessions, from the workspace policy as sessions read
 * it ({@link WorkspaceSettings}) and the session table. A label that does not parse counts as
 * {@code secret}, so that a bad row never lowers what a call is cleared for.
 */
@ApplicationScoped
public class SessionScopeFacts implements ScopeFacts {
    @Inject
    EntityManager em;

    @Inject
    WorkspaceSettings settings;

    @Override
    public Classification workspaceClassification(String workspace) {
        return level(settings.classification(workspace));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<SessionFacts> session(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Object[]> rows = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "select id::text, workspace, droid, repo from droid_session where id = ?1")
                        .setParameter(1, uuid)
                        .getResultList());
        return rows.stream()
                .findFirst()
                .map(r -> new Row((String) r[0], (String) r[1], (String) r[2], (String) r[3]))
                .map(r -> new SessionFacts(
                        r.id(), r.workspace(), r.droid(), level(settings.classification(r.workspace(), r.repo()))));
    }

    private record Row(String id, String workspace, String droid, String repo) {}

    private static Classification level(String label) {
        return Classification.parse(label).orElse(Classification.SECRET);
    }
}
