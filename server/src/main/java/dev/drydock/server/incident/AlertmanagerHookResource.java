package dev.drydock.server.incident;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/hooks/alertmanager/{workspace}/{receiver}}: Alertmanager's webhook. Not authenticated by
 * Keycloak but by the receiver's own credential (a bearer token or basic auth, as Alertmanager's
 * {@code http_config} sends it); anything else is 401, and audited.
 */
@Path("/api/hooks/alertmanager")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class AlertmanagerHookResource {
    @Inject
    IncidentIntake intake;

    @Context
    UriInfo uri;

    @POST
    @Path("/{workspace}/{receiver}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary =
                    "Alertmanager webhook (payload version 4): a firing group starts a reliability session, a resolved one is recorded; authenticated by the receiver's bearer token or basic auth")
    public Response receive(
            @PathParam("workspace") String workspace,
            @PathParam("receiver") String receiver,
            @Context HttpHeaders headers,
            byte @Nullable [] body) {
        List<String> authorization = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        IncidentIntake.Outcome outcome = intake.receive(
                workspace,
                receiver,
                authorization == null ? List.of() : authorization,
                body == null ? new byte[0] : body,
                uri.getBaseUri());
        return Response.status(outcome.outcome().equals("started") ? 202 : 200)
                .entity(outcome)
                .build();
    }
}
