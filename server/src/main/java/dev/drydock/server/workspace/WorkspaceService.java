package dev.drydock.server.workspace;

import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Workspaces and their policies. Authorization: members see, workspace admins change, drydock admins everything. */
@ApplicationScoped
public class WorkspaceService {
    /** Droid profiles that exist. */
    public static final Set<String> DROIDS = Set.of("code", "knowledge", "reliability");

    @Inject
    AuditTrail audit;

    /** A workspace as its members see it. */
    public record WorkspaceView(String slug, String displayName, String role, PolicyView policy) {}

    /** The policy of a workspace. */
    public record PolicyView(
            List<String> allowedDroids, List<String> allowedRoutes, String autonomy, String classification) {}

    /** The caller's workspaces; a drydock admin sees every workspace Drydock knows. */
    @Transactional
    public List<WorkspaceView> list(Principal caller) {
        TreeMap<String, WorkspaceView> out = new TreeMap<>();
        for (WorkspaceMembership m : caller.workspaces()) {
            WorkspaceEntity ws = WorkspaceEntity.find("slug", m.workspace()).firstResult();
            if (ws != null) {
                out.put(ws.slug, view(ws, caller.roleIn(ws.slug).orElse(m.role())));
            }
        }
        if (caller.isDrydockAdmin()) {
            for (WorkspaceEntity ws : WorkspaceEntity.<WorkspaceEntity>listAll()) {
                out.putIfAbsent(ws.slug, view(ws, WorkspaceRole.ADMIN));
            }
        }
        return new ArrayList<>(out.values());
    }

    @Transactional
    public WorkspaceView get(Principal caller, String slug) {
        WorkspaceRole role = WorkspaceAccess.require(caller, slug, WorkspaceRole.VIEWER);
        return view(find(slug), role);
    }

    /** Creates a workspace record (its Keycloak groups are managed in Keycloak). */
    @Transactional
    public WorkspaceView create(Principal caller, String slug, String displayName) {
        if (slug == null || !slug.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw ProblemException.badRequest(
                    "slug must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw ProblemException.badRequest("displayName must be 1-200 characters");
        }
        if (WorkspaceEntity.find("slug", slug).firstResult() != null) {
            throw ProblemException.conflict("Workspace '" + slug + "' already exists.");
        }
        WorkspaceEntity ws = new WorkspaceEntity();
        ws.slug = slug;
        ws.displayName = displayName.strip();
        ws.createdAt = Instant.now();
        ws.updatedAt = ws.createdAt;
        ws.allowedDroids = String.join(",", new java.util.TreeSet<>(DROIDS));
        ws.allowedRoutes = "*";
        ws.autonomy = Autonomy.APPROVE_WRITES.label();
        ws.classification = Classification.INTERNAL.label();
        ws.persist();
        audit.appendInTransaction(AuditEntry.of(caller.subject(), "workspace.created", "workspace " + slug)
                .inWorkspace(slug)
                .with("displayName", ws.displayName));
        return view(ws, WorkspaceRole.ADMIN);
    }

    /** Replaces the policy; workspace admins only. Every change is audited with before and after. */
    @Transactional
    public WorkspaceView updatePolicy(Principal caller, String slug, PolicyView policy) {
        WorkspaceRole role = WorkspaceAccess.require(caller, slug, WorkspaceRole.ADMIN);
        if (policy == null) {
            throw ProblemException.badRequest("a policy body is required");
        }
        List<String> droids = distinct(policy.allowedDroids(), "allowedDroids");
        for (String d : droids) {
            if (!DROIDS.contains(d)) {
                throw ProblemException.badRequest(
                        "allowedDroids: unknown droid '" + d + "' (known: code, knowledge, reliability)");
            }
        }
        List<String> routes = distinct(policy.allowedRoutes(), "allowedRoutes");
        Autonomy autonomy = Autonomy.parse(String.valueOf(policy.autonomy()))
                .orElseThrow(() -> ProblemException.badRequest(
                        "autonomy must be one of read-only, approve-writes, auto-edit, full-auto"));
        Classification classification = Classification.parse(String.valueOf(policy.classification()))
                .orElseThrow(() -> ProblemException.badRequest(
                        "classification must be one of public, internal, confidential, secret"));
        WorkspaceEntity ws = find(slug);
        PolicyView before = policyOf(ws);
        ws.allowedDroids = String.join(",", droids);
        ws.allowedRoutes = routes.isEmpty() ? "*" : String.join(",", routes);
        ws.autonomy = autonomy.label();
        ws.classification = classification.label();
        ws.updatedAt = Instant.now();
        audit.appendInTransaction(AuditEntry.of(caller.subject(), "policy.changed", "workspace " + slug)
                .inWorkspace(slug)
                .with("before", before)
                .with("after", policyOf(ws)));
        return view(ws, role);
    }

    /**
     * The stored workspace, or 404. Call after an access check: a workspace that a verified token
     * names but Drydock has not recorded yet (its first visitor) is recorded here.
     */
    @Transactional
    public WorkspaceEntity find(String slug) {
        WorkspaceEntity ws = WorkspaceEntity.find("slug", slug).firstResult();
        if (ws == null && slug.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            WorkspaceEntity.getEntityManager()
                    .createNativeQuery(
                            "insert into workspace(slug, display_name, created_at) values (:slug, :slug, now()) on conflict (slug) do nothing")
                    .setParameter("slug", slug)
                    .executeUpdate();
            ws = WorkspaceEntity.find("slug", slug).firstResult();
        }
        if (ws == null) {
            throw ProblemException.notFound("Workspace '" + slug + "'");
        }
        return ws;
    }

    /** Display name of a workspace, falling back to its slug. */
    public String displayName(String slug) {
        WorkspaceEntity ws = WorkspaceEntity.find("slug", slug).firstResult();
        return ws == null ? slug : ws.displayName;
    }

    private static List<String> distinct(List<String> values, String field) {
        if (values == null) {
            throw ProblemException.badRequest(field + " is required (an empty list is allowed)");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank() || v.contains(",") || v.length() > 100) {
                throw ProblemException.badRequest(field + ": invalid entry '" + v + "'");
            }
            out.add(v.strip());
        }
        return List.copyOf(out);
    }

    static PolicyView policyOf(WorkspaceEntity ws) {
        return new PolicyView(split(ws.allowedDroids), split(ws.allowedRoutes), ws.autonomy, ws.classification);
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }

    private static WorkspaceView view(WorkspaceEntity ws, WorkspaceRole role) {
        return new WorkspaceView(ws.slug, ws.displayName, role.label(), policyOf(ws));
    }
}
