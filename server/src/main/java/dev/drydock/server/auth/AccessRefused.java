package dev.drydock.server.auth;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;

/**
 * A refusal at a tenant boundary: a caller outside a workspace (answered 404, so that the object's
 * existence is not revealed) or with too low a role in it (403). Answered like any problem; the audit
 * side observes it when the problem mappers announce it ({@code ProblemAnswered}) and records it.
 */
public final class AccessRefused extends ProblemException {
    private final transient Principal caller;
    private final String workspace;
    private final String target;

    private AccessRefused(Problem problem, Principal caller, String workspace, String target) {
        super(problem);
        this.caller = caller;
        this.workspace = workspace;
        this.target = target;
    }

    /** The caller is not in {@code workspace}: the answer is the same 404 a missing {@code target} gets. */
    public static AccessRefused hidden(Principal caller, String workspace, String target) {
        return new AccessRefused(notFound(target).problem(), caller, workspace, target);
    }

    /** The caller is in {@code workspace} with too low a role. */
    public static AccessRefused forbidden(Principal caller, String workspace, String target, String detail) {
        return new AccessRefused(ProblemException.forbidden(detail).problem(), caller, workspace, target);
    }

    public Principal caller() {
        return caller;
    }

    public String workspace() {
        return workspace;
    }

    public String target() {
        return target;
    }
}
