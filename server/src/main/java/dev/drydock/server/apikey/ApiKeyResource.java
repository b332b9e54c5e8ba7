package dev.drydock.server.apikey;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.problem.ProblemException;
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

/**
 * {@code /api/me/api-keys}: the caller's personal access tokens for {@code /api} and {@code /v1}.
 * Creating a key needs a Keycloak sign-in: a caller authenticated by an API key gets 403, so that a
 * leaked key cannot mint successors that outlive its revocation.
 */
@Path("/api/me/api-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    ApiKeys keys;

    /** What to call the new key and how many days it lives (default {@value ApiKeys#DEFAULT_DAYS}, at most {@value ApiKeys#MAX_DAYS}). */
    public record KeyInput(@Nullable String name, @Nullable Integer expiresInDays) {}

    @POST
    @Operation(summary = "Create an API key; the key is in this response only")
    public Response create(@Nullable KeyInput in) {
        if (currentUser.byApiKey()) {
            throw ProblemException.forbidden(
                    "An API key cannot create API keys; sign in to the portal (Me page) or use an access token from ./drydock login.");
        }
        int days = in == null || in.expiresInDays() == null ? ApiKeys.DEFAULT_DAYS : in.expiresInDays();
        return Response.status(201)
                .entity(keys.create(currentUser.principal(), in == null ? null : in.name(), days))
                .build();
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
        if (!keys.revoke(currentUser.principal(), id)) {
            throw ProblemException.notFound("API key " + id);
        }
    }
}
