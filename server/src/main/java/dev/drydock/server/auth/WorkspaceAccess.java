package dev.drydock.server.auth;

import dev.drydock.server.auth.CurrentUser.Principal;

/**
 * The one rule for workspace-scoped resources: someone outside a workspace gets 404 (its existence
 * is not revealed), a member whose role is too low gets 403; both are recorded as refusals.
 */
public final class WorkspaceAccess {
    private WorkspaceAccess() {}

    /** The caller's role in {@code workspace}, if it is at least {@code minimum}; otherwise a 404/403 problem. */
    public static WorkspaceRole require(Principal principal, String workspace, WorkspaceRole minimum) {
        String target = "Workspace '" + workspace + "'";
        WorkspaceRole role =
                principal.roleIn(workspace).orElseThrow(() -> AccessRefused.hidden(principal, workspace, target));
        if (!role.atLeast(minimum)) {
            throw AccessRefused.forbidden(
                    principal,
                    workspace,
                    target,
                    "This needs the " + minimum.label() + " role in workspace '" + workspace + "'; you are "
                            + role.label() + ".");
        }
        return role;
    }
}
