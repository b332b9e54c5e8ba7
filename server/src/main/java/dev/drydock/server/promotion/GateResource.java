package dev.drydock.server.promotion;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/admin/models/{endpoint}/gate}: the model promotion gate of a model endpoint (drydock-admins). */
@Path("/api/admin/models/{endpoint}/gate")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class GateResource {
    @Inject
    ModelGate gate;

    @Inject
    CurrentUser currentUser;

    @POST
    @Operation(summary = "Start a gate run: the shipped task fixtures as code-droid sessions against the endpoint")
    public Response start(@PathParam("endpoint") String endpoint) {
        GateReport run = gate.start(currentUser.principal(), endpoint);
        return Response.accepted(run)
                .location(URI.create("/api/admin/models/" + endpoint + "/gate/runs/" + run.run()))
                .build();
    }

    @GET
    @Operation(summary = "The endpoint's newest gate run: progress, then the report")
    public GateReport latest(@PathParam("endpoint") String endpoint) {
        return gate.latest(endpoint);
    }

    @GET
    @Path("runs/{run}")
    @Operation(summary = "One gate run of the endpoint")
    public GateReport run(@PathParam("endpoint") String endpoint, @PathParam("run") String run) {
        return gate.run(endpoint, run);
    }
}
