package dev.drydock.server.session;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What droids remembered in a workspace, for people: viewers and up list it (they can read the
 * sessions that wrote it anyway), members and up delete; outsiders get 404. Deletions are audited.
 */
@ApplicationScoped
public class MemoryService {
    /** Most memories one listing returns. */
    static final int LIST_LIMIT = 500;

    @Inject DataSource ds;
    @Inject AuditTrail audit;

    /** One remembered fact. {@code repo} is empty for a fact kept for the whole workspace. */
    public record MemoryView(long id, String repo, String scope, String text, String classification, @Nullable String sessionId, Instant createdAt) {}

    /** The workspace's memories, newest first. */
    public List<MemoryView> list(Principal caller, String workspace) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.VIEWER);
        return Sql.query(ds, "select id, repo, text, classification, session_id::text, created_at from droid_memory where workspace = ? order by id desc limit ?",
                rs -> new MemoryView(rs.getLong(1), rs.getString(2), rs.getString(2).isEmpty() ? "workspace" : "repo", rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant()),
                workspace, LIST_LIMIT);
    }

    /** Forgets one memory of the workspace; 404 when the workspace holds no memory with that id. */
    public void delete(Principal caller, String workspace, long id) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.MEMBER);
        if (Sql.update(ds, "delete from droid_memory where workspace = ? and id = ?", workspace, id) == 0) {
            throw ProblemException.notFound("Memory " + id + " in workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "memory.deleted", workspace + "/memories/" + id).inWorkspace(workspace));
    }
}
