package dev.drydock.server.gateway.admin;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.gateway.admin.GatewayStore.ModelHost;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/admin/model-hosts}: the model server hosts a drydock-admin lets through the egress
 * allow-list. This is the only way a host of an endpoint saved through the API becomes reachable;
 * each change is audited ({@code egress.host-allowed}, {@code egress.host-withdrawn}) with its reason.
 */
@Path("/api/admin/model-hosts")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ModelHostResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    GatewayStore store;

    @Inject
    ModelEndpoints endpoints;

    /** Body of an allowed host: the host name and why it may be reached. */
    public record HostInput(@Nullable String host, @Nullable String reason) {}

    @GET
    @Operation(
            summary =
                    "Model server hosts allowed through the egress allow-list by an admin, with who allowed them and why")
    public List<ModelHost> list() {
        return store.modelHosts();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Let the server reach a model server host (joins the egress allow-list; audited)")
    public List<ModelHost> allow(@Nullable HostInput in) {
        endpoints.allowHost(currentUser.principal(), in == null ? null : in.host(), in == null ? null : in.reason());
        return store.modelHosts();
    }

    @DELETE
    @Path("/{host}")
    @Operation(summary = "Withdraw a model server host from the egress allow-list (audited)")
    public List<ModelHost> withdraw(@PathParam("host") String host) {
        endpoints.withdrawHost(currentUser.principal(), host);
        return store.modelHosts();
    }
}
