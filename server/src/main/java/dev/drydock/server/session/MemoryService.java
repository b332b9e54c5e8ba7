package dev.drydock.server.session;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What droids remembered in a workspace, for people: viewers and up list it (they can read the
 * sessions that wrote it anyway), members and up delete; outsiders get 404. Deletions are audited.
 */
@ApplicationScoped
public class MemoryService {
    /** Most memories one listing returns. */
    static final int LIST_LIMIT = 500;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    /** One remembered fact. {@code repo} is empty for a fact kept for the whole workspace. */
    public record MemoryView(
            long id,
            String repo,
            String scope,
            String text,
            String classification,
            @Nullable String sessionId,
            Instant createdAt) {}

    /** The workspace's memories, newest first. */
    public List<MemoryView> list(Principal caller, String workspace) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select id, repo, text, classification, session_id::text, created_at from droid_memory where workspace = ?1 order by id desc limit ?2")
                    .setParameter(1, workspace)
                    .setParameter(2, LIST_LIMIT)
                    .getResultList();
            return rows.stream()
                    .map(r -> new MemoryView(
                            Columns.longValue(r[0]),
                            (String) r[1],
                            ((String) r[1]).isEmpty() ? "workspace" : "repo",
                            (String) r[2],
                            (String) r[3],
                            Columns.string(r[4]),
                            Columns.instant(r[5])))
                    .toList();
        });
    }

    /** Forgets one memory of the workspace; 404 when the workspace holds no memory with that id. */
    public void delete(Principal caller, String workspace, long id) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.MEMBER);
        int deleted = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery("delete from droid_memory where workspace = ?1 and id = ?2")
                        .setParameter(1, workspace)
                        .setParameter(2, id)
                        .executeUpdate());
        if (deleted == 0) {
            throw ProblemException.notFound("Memory " + id + " in workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "memory.deleted", workspace + "/memories/" + id)
                .inWorkspace(workspace));
    }
}
