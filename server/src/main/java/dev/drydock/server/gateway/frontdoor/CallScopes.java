package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.audit.AccessAuditor;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.AccessRefused;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.RouteSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a /v1 call runs, decided from its caller and its {@code X-Drydock-*} headers, none of which
 * is taken on trust:
 *
 * <ul>
 *   <li>the workspace is one where the caller is at least a member ({@link WorkspaceAccess}: outsiders
 *       get 404, viewers 403, both recorded as refused access);
 *   <li>a call outside every workspace ({@code X-Drydock-Workspace: -}) is for drydock admins only, is
 *       never assumed, and is sealed into the audit trail before it is made;
 *   <li>a session is one of the call's workspace that the caller may act in (member or admin there);
 *   <li>a droid, whose routes may be reserved for it, only with a session of that droid;
 *   <li>the classification is the highest of the header (or the default), the workspace's and the
 *       session's, so a caller can raise it but never lower it.
 * </ul>
 */
@ApplicationScoped
public class CallScopes {
    /** {@code X-Drydock-Workspace} value of a call outside every workspace. */
    public static final String NO_WORKSPACE = "-";

    static final String WORKSPACE = "X-Drydock-Workspace";
    static final String SESSION = "X-Drydock-Session";
    static final String DROID = "X-Drydock-Droid";
    static final String CLASSIFICATION = "X-Drydock-Classification";

    @Inject
    ScopeFacts facts;

    @Inject
    GatewayService gateway;

    @Inject
    AccessAuditor access;

    @Inject
    AuditTrail trail;

    /** The headers as sent (trimmed; null when absent or blank). */
    public record Requested(
            @Nullable String workspace,
            @Nullable String session,
            @Nullable String droid,
            @Nullable String classification) {}

    /** Where the call is made: a workspace (or {@link #NO_WORKSPACE}), the session it is made for, the droid whose routes apply, its classification. */
    public record Scope(String workspace, @Nullable String sessionId, String droid, Classification classification) {}

    /** The scope, or the error to answer. */
    public sealed interface Resolution {
        /** The call may go ahead in this scope. */
        record Allowed(Scope scope) implements Resolution {}

        /** The call is refused (already recorded where it is an access refusal). */
        record Refused(OpenAiError error) implements Resolution {}
    }

    /** The call where the caller and headers allow it; {@code path} and {@code client} label audit records. */
    public Resolution resolve(Principal caller, Requested req, String path, String client) {
        Optional<Classification> asked = Optional.empty();
        if (req.classification() != null) {
            asked = Classification.parse(req.classification());
            if (asked.isEmpty()) {
                return refused(OpenAiError.badRequest(CLASSIFICATION + " must be one of " + Classification.labels()));
            }
        }
        ScopeFacts.SessionFacts session = null;
        if (req.session() != null) {
            Optional<ScopeFacts.SessionFacts> found = facts.session(req.session());
            if (found.isEmpty()) {
                return refused(notFound("Session " + req.session()));
            }
            session = found.get();
            Resolution refusal = actFor(caller, session, "Session " + req.session(), path, client);
            if (refusal != null) {
                return refusal;
            }
        }
        String workspace;
        if (NO_WORKSPACE.equals(req.workspace())) {
            if (!caller.isDrydockAdmin()) {
                access.callerRefused(
                        caller.subject(), caller.username(), null, "a call outside every workspace", 403, path, client);
                return refused(OpenAiError.forbidden("Only a drydock admin may call outside every workspace ("
                        + WORKSPACE + ": -); " + "name a workspace where you are a member or admin instead."));
            }
            if (session != null) {
                return refused(
                        OpenAiError.badRequest("A call outside every workspace cannot be made for a session; drop "
                                + SESSION + " or send " + WORKSPACE + ": " + session.workspace() + "."));
            }
            workspace = NO_WORKSPACE;
        } else if (req.workspace() != null) {
            workspace = req.workspace();
            if (session != null && !session.workspace().equals(workspace)) {
                return refused(OpenAiError.badRequest("Session " + session.id() + " belongs to workspace '"
                        + session.workspace() + "', not '" + workspace + "'; send " + WORKSPACE + ": "
                        + session.workspace() + " or leave the header out."));
            }
            try {
                WorkspaceAccess.require(caller, workspace, WorkspaceRole.MEMBER);
            } catch (AccessRefused e) {
                access.callerRefused(
                        caller.subject(),
                        caller.username(),
                        e.workspace(),
                        e.target(),
                        e.problem().status(),
                        path,
                        client);
                return refused(
                        e.problem().status() == 404
                                ? notFound(e.target())
                                : OpenAiError.forbidden(e.problem().detail()
                                        + " Model calls in a workspace need the member or admin role there."));
            }
        } else if (session != null) {
            workspace = session.workspace();
        } else {
            Optional<String> first = caller.workspaces().stream()
                    .filter(m -> m.role().atLeast(WorkspaceRole.MEMBER))
                    .map(WorkspaceMembership::workspace)
                    .findFirst();
            if (first.isEmpty()) {
                return refused(
                        caller.isDrydockAdmin()
                                ? OpenAiError.badRequest(
                                        "Name the workspace with " + WORKSPACE
                                                + "; a drydock admin may send '-' for a call outside every workspace, which is audited.")
                                : OpenAiError.forbidden(
                                        "You are not a member of any workspace; ask a workspace admin to add you."));
            }
            workspace = first.get();
        }
        String droid = RouteSpec.ANY;
        if (req.droid() != null && !req.droid().equals(RouteSpec.ANY)) {
            if (session == null || !session.droid().equals(req.droid())) {
                return refused(OpenAiError.forbidden(DROID + ": " + req.droid() + " selects the model routes of the "
                        + req.droid() + " droid, which only calls made for a "
                        + "session of that droid may use; "
                        + (session == null
                                ? "name the session with " + SESSION + "."
                                : "session " + session.id() + " is run by the " + session.droid() + " droid.")));
            }
            droid = req.droid();
        }
        Classification floor = workspace.equals(NO_WORKSPACE)
                ? gateway.defaultClassification()
                : facts.workspaceClassification(workspace);
        if (session != null) {
            floor = floor.max(session.classification());
        }
        Scope scope = new Scope(
                workspace,
                session == null ? null : session.id(),
                droid,
                asked.orElse(gateway.defaultClassification()).max(floor));
        if (workspace.equals(NO_WORKSPACE)) {
            trail.append(AuditEntry.of(caller.subject(), "model.no-workspace-call", path)
                    .with("username", caller.username())
                    .with("client", client)
                    .with("classification", scope.classification().label()));
        }
        return new Resolution.Allowed(scope);
    }

    /**
     * Null when the caller may act for the session (member or admin of its workspace); else the
     * refusal, recorded. An outsider's answer is the one a missing {@code target} gets.
     */
    private @Nullable Resolution actFor(
            Principal caller, ScopeFacts.SessionFacts session, String target, String path, String client) {
        Optional<WorkspaceRole> role = caller.roleIn(session.workspace());
        if (role.isEmpty()) {
            access.callerRefused(caller.subject(), caller.username(), session.workspace(), target, 404, path, client);
            return refused(notFound(target));
        }
        if (!role.get().atLeast(WorkspaceRole.MEMBER)) {
            access.callerRefused(caller.subject(), caller.username(), session.workspace(), target, 403, path, client);
            return refused(
                    OpenAiError.forbidden("You are " + role.get().label() + " in workspace '" + session.workspace()
                            + "'; model calls for its session " + session.id() + " need the member or admin role."));
        }
        return null;
    }

    private static OpenAiError notFound(String target) {
        return OpenAiError.notFound(target + " does not exist or you may not see it.");
    }

    private static Resolution refused(OpenAiError error) {
        return new Resolution.Refused(error);
    }
}
