package dev.drydock.server.portal;

import dev.drydock.server.audit.AuditCheckpoints;
import dev.drydock.server.audit.AuditJson;
import dev.drydock.server.audit.AuditRecord;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.audit.AuditVerification;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/admin/audit}: the drydock-admin's view of the audit chain: records page by page,
 * filtered by workspace, action and actor; "Verify" recomputes the chain against the signed
 * checkpoints ({@link AuditCheckpoints#verify}, as {@code GET /api/admin/audit/verify}); "Export"
 * downloads it as JSON lines, as {@code /api/admin/audit/export} does. Read-only; others get 403.
 */
@Path("/portal/admin/audit")
@Authenticated
public class PortalAuditResource {
    /** Records per page. */
    static final int PAGE = 50;
    /** Pages read at most to fill one filtered page, so a rare filter cannot make one request read the whole chain. */
    static final int SCAN = 40;

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditTrail trail;

    @Inject
    AuditCheckpoints checkpoints;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(
                Principal user,
                Filter filter,
                List<AuditRecord> records,
                long head,
                @Nullable String older,
                @Nullable String newer,
                @Nullable Verification verification);
    }

    /** The filter as typed; {@code before} is the page's upper bound (exclusive; 0: the newest page). */
    public record Filter(String workspace, String action, String actor, long before) {
        boolean matches(AuditRecord r) {
            return (action.isEmpty() || r.action().startsWith(action))
                    && (actor.isEmpty() || r.actor().toLowerCase(Locale.ROOT).contains(actor.toLowerCase(Locale.ROOT)));
        }

        String query(long beforeSeq) {
            return "/portal/admin/audit?workspace=" + encode(workspace) + "&action=" + encode(action) + "&actor="
                    + encode(actor) + "&before=" + beforeSeq;
        }
    }

    /** A verification result for people. */
    public record Verification(
            boolean intact,
            long checked,
            String brokenAt,
            String reason,
            String headHash,
            String checkpoint,
            List<String> warnings) {
        static Verification of(AuditVerification.Result r) {
            return new Verification(
                    r.intact(),
                    r.checked(),
                    r.brokenAt().map(String::valueOf).orElse(""),
                    r.reason().orElse(""),
                    r.headHash(),
                    r.checkpoint()
                            .map(c -> "record " + c.seq() + " at " + c.time() + " (key " + c.key() + ")")
                            .orElse(""),
                    r.warnings());
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(
            @QueryParam("workspace") @Nullable String workspace,
            @QueryParam("action") @Nullable String action,
            @QueryParam("actor") @Nullable String actor,
            @QueryParam("before") @Nullable Long before) {
        return render(admin(), workspace, action, actor, before, null);
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance verify() {
        Principal user = admin();
        return render(user, null, null, null, null, Verification.of(checkpoints.verify()));
    }

    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @Operation(hidden = true)
    public Response export() {
        admin();
        StreamingOutput body = output -> {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            long after = 0;
            while (true) {
                List<AuditRecord> page = trail.page(after, 1000, null);
                for (AuditRecord r : page) {
                    out.write(AuditJson.line(r));
                    out.write('\n');
                }
                if (page.size() < 1000) {
                    break;
                }
                after = page.getLast().seq();
            }
            out.flush();
        };
        return Response.ok(body, "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"drydock-audit.jsonl\"")
                .build();
    }

    private TemplateInstance render(
            Principal user,
            @Nullable String workspace,
            @Nullable String action,
            @Nullable String actor,
            @Nullable Long before,
            @Nullable Verification verification) {
        if (before != null && before < 0) {
            throw ProblemException.badRequest("before must be 0 or more");
        }
        Filter filter = new Filter(
                PortalAdminResource.text(workspace).strip(),
                PortalAdminResource.text(action).strip(),
                PortalAdminResource.text(actor).strip(),
                before == null ? 0 : before);
        long head = trail.head(0).seq();
        long upper = filter.before() == 0 || filter.before() > head ? head + 1 : filter.before();
        // Newest first: read windows backwards from the upper bound until the page is full, the chain's start is
        // reached or SCAN windows were read (then "Older" goes on from where the scan stopped).
        List<AuditRecord> found = new ArrayList<>();
        long to = upper;
        for (int scanned = 0; to > 1 && scanned < SCAN && found.size() < PAGE; scanned++) {
            long from = Math.max(0, to - 1 - PAGE);
            List<AuditRecord> window =
                    trail.page(from, (int) (to - 1 - from), filter.workspace().isEmpty() ? null : filter.workspace());
            List<AuditRecord> matching = window.stream()
                    .filter(r -> r.seq() < upper && filter.matches(r))
                    .toList()
                    .reversed();
            for (AuditRecord r : matching) {
                if (found.size() < PAGE && r.seq() < to) {
                    found.add(r);
                }
            }
            to = found.size() == PAGE ? found.getLast().seq() : from + 1;
        }
        String older = to > 1 ? filter.query(to) : null;
        String newer = filter.before() != 0 ? filter.query(0) : null;
        return Templates.audit(user, filter, found, head, older, newer, verification);
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(
                    "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.");
        }
        return user;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
