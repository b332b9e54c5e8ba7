package dev.drydock.server.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /api/cli-config}: what {@code ./drydock login --server URL} needs to sign a person in with
 * the device authorization grant: the realm's issuer (its endpoints come from the issuer's standard
 * discovery document) and the public CLI client. Public, like the discovery document itself.
 */
@Path("/api/cli-config")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class CliLoginResource {
    /** The realm's public client for command-line sign-in (device authorization grant). */
    public static final String CLI_CLIENT = "drydock-cli";

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    /** Where and as which client the command line signs in. */
    public record CliConfig(String issuer, String clientId) {}

    @GET
    @Operation(summary = "Where the command line signs in (issuer and public client)")
    public CliConfig config() {
        return new CliConfig(issuer, CLI_CLIENT);
    }
}
