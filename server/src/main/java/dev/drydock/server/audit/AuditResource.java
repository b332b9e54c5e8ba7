package dev.drydock.server.audit;

import dev.drydock.server.auth.Roles;
import dev.drydock.server.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/admin/audit}: verify the chain and export it for a SIEM. Drydock administrators only. */
@Path("/api/admin/audit")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
public class AuditResource {
    private static final int PAGE = 1000;

    @Inject
    AuditTrail trail;

    @Inject
    AuditCheckpoints checkpoints;

    /**
     * The verification result; {@code checkpoint} is the newest signed checkpoint the chain was checked
     * against, {@code warnings} what limited the check.
     */
    public record VerificationView(
            boolean intact,
            long checked,
            @Nullable Long brokenAt,
            @Nullable String reason,
            String headHash,
            @Nullable CheckpointView checkpoint,
            List<String> warnings) {}

    /** A signed checkpoint: the chain had {@code seq} records with head {@code headHash} at {@code time}. */
    public record CheckpointView(long seq, String headHash, String time, String key) {}

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Recompute the audit hash chain, check it against the signed checkpoints and report the first broken link, truncation or rehashing")
    public VerificationView verify() {
        AuditVerification.Result r = checkpoints.verify();
        CheckpointView checkpoint = r.checkpoint()
                .map(c -> new CheckpointView(c.seq(), c.headHash(), c.time(), c.key()))
                .orElse(null);
        return new VerificationView(
                r.intact(),
                r.checked(),
                r.brokenAt().orElse(null),
                r.reason().orElse(null),
                r.headHash(),
                checkpoint,
                r.warnings());
    }

    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @Operation(summary = "Export audit records as JSON lines, oldest first, optionally after a sequence number")
    public StreamingOutput export(
            @QueryParam("afterSeq") @DefaultValue("0") long afterSeq,
            @QueryParam("format") @DefaultValue("jsonl") String format) {
        if (!format.equals("jsonl")) {
            throw ProblemException.badRequest("format must be 'jsonl'");
        }
        if (afterSeq < 0) {
            throw ProblemException.badRequest("afterSeq must be 0 or more");
        }
        return output -> {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            long after = afterSeq;
            while (true) {
                List<AuditRecord> page = trail.page(after, PAGE, null);
                for (AuditRecord r : page) {
                    out.write(AuditJson.line(r));
                    out.write('\n');
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.getLast().seq();
            }
            out.flush();
        };
    }
}
