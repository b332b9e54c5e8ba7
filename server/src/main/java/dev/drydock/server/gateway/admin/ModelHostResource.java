package dev.drydock.server.gateway.admin;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.admin.GatewayStore.ModelHost;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
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
import java.util.Locale;
import java.util.regex.Pattern;
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
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    @Inject CurrentUser currentUser;
    @Inject GatewayStore store;
    @Inject GatewayService gateway;
    @Inject AuditTrail audit;

    /** Body of an allowed host: the host name and why it may be reached. */
    public record HostInput(@Nullable String host, @Nullable String reason) {}

    @GET
    @Operation(summary = "Model server hosts allowed through the egress allow-list by an admin, with who allowed them and why")
    public List<ModelHost> list() {
        return store.modelHosts();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Let the server reach a model server host (joins the egress allow-list; audited)")
    public List<ModelHost> allow(@Nullable HostInput in) {
        Principal caller = currentUser.principal();
        String host = checkedHost(in == null ? null : in.host());
        String reason = in == null || in.reason() == null ? "" : in.reason().strip();
        if (reason.isEmpty() || reason.length() > 500) {
            throw field("reason", "reason is required (at most 500 characters): why may the server reach this host?");
        }
        if (!store.allowModelHost(host, reason, caller.username())) {
            throw ProblemException.conflict("Model host '" + host + "' is already allowed.");
        }
        gateway.refresh();
        audit.append(AuditEntry.of(caller.subject(), "egress.host-allowed", host).with("purpose", "model endpoint").with("reason", reason)
                .with("by", caller.username()));
        return store.modelHosts();
    }

    @DELETE
    @Path("/{host}")
    @Operation(summary = "Withdraw a model server host from the egress allow-list (audited)")
    public List<ModelHost> withdraw(@PathParam("host") String host) {
        Principal caller = currentUser.principal();
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (!store.withdrawModelHost(h)) {
            throw ProblemException.notFound("Allowed model host '" + h + "'");
        }
        gateway.refresh();
        audit.append(AuditEntry.of(caller.subject(), "egress.host-withdrawn", h).with("purpose", "model endpoint").with("by", caller.username()));
        return store.modelHosts();
    }

    private static String checkedHost(@Nullable String host) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (h.isEmpty() || h.contains("/") || h.contains(":") || h.contains("@") || !HOST.matcher(h).matches()) {
            throw field("host", "host is a host name only (e.g. models.internal.example), without scheme, port, path or user");
        }
        return h;
    }

    private static ProblemException field(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-model-host", "Invalid model host", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
