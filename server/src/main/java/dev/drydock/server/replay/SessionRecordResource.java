package dev.drydock.server.replay;

import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/sessions/{id}/record/…}: a session's record read back (replay, model calls, egress proof). */
@Path("/api/sessions/{id}/record")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SessionRecordResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    SessionRecords records;

    @GET
    @Path("/replay")
    @Operation(
            summary = "Replay the session's loop offline against its log (no model, no sandbox) and report the"
                    + " first divergence from the recorded decisions under the current droid and policy")
    public SessionRecords.Replay replay(@PathParam("id") String id) {
        return records.replay(currentUser.principal(), id);
    }

    @GET
    @Path("/model-calls")
    @Operation(
            summary = "Every model call: the exact messages sent, rebuilt from the log and checked against the"
                    + " gateway's SHA-256, with tokens per source")
    public List<SessionRecords.ModelCallView> modelCalls(@PathParam("id") String id) {
        return records.modelCalls(currentUser.principal(), id);
    }

    @GET
    @Path("/egress")
    @Operation(summary = "The session's effective egress policy and every refused connection attempt")
    public SessionRecords.EgressProof egress(@PathParam("id") String id) {
        return records.egress(currentUser.principal(), id);
    }
}
