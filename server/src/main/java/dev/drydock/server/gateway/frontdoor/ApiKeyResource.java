package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/me/api-keys}: the caller's keys for the OpenAI-compatible front door (/v1). */
@Path("/api/me/api-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
    @Inject CurrentUser currentUser;
    @Inject ApiKeys keys;
    @Inject AuditTrail audit;

    /** What to call the new key. */
    public record KeyInput(@Nullable String name) {}

    @POST
    @Operation(summary = "Create an API key; the key is in this response only")
    public Response create(@Nullable KeyInput in) {
        String name = in == null || in.name() == null ? "" : in.name().trim();
        if (name.isEmpty() || name.length() > 100) {
            throw ProblemException.badRequest("name is required (1-100 characters), e.g. {\"name\": \"my IDE\"}");
        }
        Principal p = currentUser.principal();
        ApiKeys.NewKey key = QuarkusTransaction.joiningExisting().call(() -> {
            ApiKeys.NewKey created = keys.create(p.subject(), p.username(), p.roles(), p.workspaces(), name);
            audit.appendInTransaction(AuditEntry.of(p.subject(), "apikey.created", "api key " + created.id())
                    .with("name", name).with("prefix", created.prefix()).with("username", p.username()));
            return created;
        });
        return Response.status(201).entity(key).build();
    }

    @GET
    @Operation(summary = "List my API keys (never the keys themselves)")
    public List<ApiKeys.KeyView> list() {
        return keys.list(currentUser.principal().subject());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke one of my API keys")
    public void revoke(@PathParam("id") long id) {
        Principal p = currentUser.principal();
        boolean revoked = QuarkusTransaction.joiningExisting().call(() -> {
            if (!keys.revoke(p.subject(), id)) {
                return false;
            }
            audit.appendInTransaction(AuditEntry.of(p.subject(), "apikey.revoked", "api key " + id).with("username", p.username()));
            return true;
        });
        if (!revoked) {
            throw ProblemException.notFound("API key " + id);
        }
    }
}
