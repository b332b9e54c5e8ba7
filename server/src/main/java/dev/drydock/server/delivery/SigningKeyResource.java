package dev.drydock.server.delivery;

import dev.drydock.server.droid.ApplianceSigningKey;
import dev.drydock.server.droid.GitMirrorPublisher;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/delivery/signing-key}: the public key droid commits are signed with, to register on the git server. */
@Path("/api/delivery/signing-key")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {
    @Inject
    ApplianceSigningKey key;

    /**
     * @param format git's {@code gpg.format} of the signatures
     * @param publicKey the OpenSSH public key line
     * @param committer the droid's committer address
     * @param allowedSigner the line for git's {@code gpg.ssh.allowedSignersFile}
     */
    public record SigningKey(String format, String publicKey, String committer, String allowedSigner) {}

    @GET
    @Operation(summary = "The appliance's commit-signing public key (SSH format) and the droid's committer address")
    public SigningKey get() {
        String publicKey = key.publicKey();
        return new SigningKey("ssh", publicKey, GitMirrorPublisher.EMAIL, GitMirrorPublisher.EMAIL + " " + publicKey);
    }
}
