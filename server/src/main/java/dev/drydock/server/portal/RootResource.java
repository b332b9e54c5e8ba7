package dev.drydock.server.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /} sends people to the portal. */
@Path("/")
public class RootResource {
    @GET
    @Operation(hidden = true)
    public Response root() {
        return Response.seeOther(URI.create("/portal")).build();
    }
}
