package dev.drydock.server.session;

import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.frontdoor.ScopeFacts;
import dev.drydock.server.workspace.WorkspaceSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Answers the /v1 front door about workspaces and sessions, from the workspace policy as sessions read
 * it ({@link WorkspaceSettings}) and the session table. A label that does not parse counts as
 * {@code secret}, so that a bad row never lowers what a call is cleared for.
 */
@ApplicationScoped
public class SessionScopeFacts implements ScopeFacts {
    @Inject DataSource ds;
    @Inject WorkspaceSettings settings;

    @Override
    public Classification workspaceClassification(String workspace) {
        return level(settings.classification(workspace));
    }

    @Override
    public Optional<SessionFacts> session(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Sql.query(ds, "select id::text, workspace, droid, repo from droid_session where id = ?",
                        rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), uuid)
                .stream().findFirst()
                .map(r -> new SessionFacts(r.id(), r.workspace(), r.droid(), level(settings.classification(r.workspace(), r.repo()))));
    }

    private record Row(String id, String workspace, String droid, String repo) {}

    private static Classification level(String label) {
        return Classification.parse(label).orElse(Classification.SECRET);
    }
}
