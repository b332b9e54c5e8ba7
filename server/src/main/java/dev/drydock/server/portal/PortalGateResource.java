package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.promotion.GateReport;
import dev.drydock.server.promotion.ModelGate;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/admin/models/{endpoint}/gate}: the model promotion gate of one endpoint in the
 * portal (Run gate, its progress while it runs, then the report and its difference from the routed
 * model). Drydock-admins only; the gate service checks the role again.
 */
@Path("/portal/admin/models/{endpoint}/gate")
@Authenticated
public class PortalGateResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    ModelGate gate;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance gate(
                Principal user, String endpoint, @Nullable GateReport report, String status);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("endpoint") String endpoint) {
        Principal user = admin();
        return Templates.gate(user, endpoint, gate.latestIfAny(endpoint).orElse(null), gate.status(endpoint));
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response run(@PathParam("endpoint") String endpoint) {
        Principal user = admin();
        gate.start(user, endpoint);
        return Response.seeOther(URI.create(
                        "/portal/admin/models/" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + "/gate"))
                .build();
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(
                    "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.");
        }
        return user;
    }
}
