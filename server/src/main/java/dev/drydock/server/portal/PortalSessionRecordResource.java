package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.replay.SessionRecords;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /portal/sessions/{id}/record}: a session's egress proof (its effective egress policy and every
 * refused connection) and what its model saw (each call's exact messages, their SHA-256 against the
 * gateway's, tokens per source), linked from the session page next to the audit root.
 */
@Path("/portal/sessions/{id}/record")
@Authenticated
public class PortalSessionRecordResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    SessionRecords records;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance record(
                Principal user, String id, SessionRecords.EgressProof egress, List<SessionRecords.ModelCallView> calls);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@PathParam("id") String id) {
        Principal user = currentUser.principal();
        return Templates.record(user, id, records.egress(user, id), records.modelCalls(user, id));
    }
}
