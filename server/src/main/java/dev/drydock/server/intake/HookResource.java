package dev.drydock.server.intake;

import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/hooks/{vendor}/{workspace}/{repo}}: the git servers' webhooks. Not authenticated by
 * Keycloak (a git server has no Keycloak token; a bearer token sent here is ignored) but by the
 * repository's webhook secret in the vendor's own scheme: anything else is 401, and audited.
 */
@Path("/api/hooks")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class HookResource {
    @Inject
    HookIntake intake;

    @Context
    UriInfo uri;

    @Context
    HttpServerRequest request;

    @POST
    @Path("/gitlab/{workspace}/{repo}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary =
                    "GitLab webhook (Note Hook on a droid's merge request, Issue Hook with the ticket label, Merge Request Hook for deliverables); authenticated by X-Gitlab-Token")
    public Response gitlab(
            @PathParam("workspace") String workspace,
            @PathParam("repo") String repo,
            @HeaderParam("X-Gitlab-Event") @Nullable String event,
            @HeaderParam("X-Gitlab-Event-UUID") @Nullable String eventId,
            @HeaderParam("Idempotency-Key") @Nullable String idempotencyKey,
            @HeaderParam("X-Gitlab-Token") @Nullable String token,
            byte @Nullable [] body) {
        return answer(intake.receive(
                HookIntake.Vendor.GITLAB,
                workspace,
                repo,
                new HookIntake.Headers(event, idempotencyKey != null ? idempotencyKey : eventId, token, null, client()),
                body == null ? new byte[0] : body,
                uri.getBaseUri()));
    }

    @POST
    @Path("/gitea/{workspace}/{repo}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary =
                    "Gitea or Forgejo webhook (issue_comment and reviews on a droid's pull request, pull_request for deliverables, issues with the ticket label); authenticated by X-Gitea-Signature (HMAC-SHA256)")
    public Response gitea(
            @PathParam("workspace") String workspace,
            @PathParam("repo") String repo,
            @HeaderParam("X-Gitea-Event") @Nullable String event,
            @HeaderParam("X-Forgejo-Event") @Nullable String forgejoEvent,
            @HeaderParam("X-Gitea-Delivery") @Nullable String delivery,
            @HeaderParam("X-Forgejo-Delivery") @Nullable String forgejoDelivery,
            @HeaderParam("X-Gitea-Signature") @Nullable String signature,
            @HeaderParam("X-Forgejo-Signature") @Nullable String forgejoSignature,
            @HeaderParam("X-Hub-Signature-256") @Nullable String hubSignature,
            byte @Nullable [] body) {
        String sig = signature != null ? signature : forgejoSignature != null ? forgejoSignature : hubSignature;
        return answer(intake.receive(
                HookIntake.Vendor.GITEA,
                workspace,
                repo,
                new HookIntake.Headers(
                        event != null ? event : forgejoEvent,
                        delivery != null ? delivery : forgejoDelivery,
                        null,
                        sig,
                        client()),
                body == null ? new byte[0] : body,
                uri.getBaseUri()));
    }

    @POST
    @Path("/github/{workspace}/{repo}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary =
                    "GitHub Enterprise Server webhook (issue_comment, pull_request_review, issues, push, ping); authenticated by X-Hub-Signature-256 (HMAC-SHA256)")
    public Response github(
            @PathParam("workspace") String workspace,
            @PathParam("repo") String repo,
            @HeaderParam("X-GitHub-Event") @Nullable String event,
            @HeaderParam("X-GitHub-Delivery") @Nullable String delivery,
            @HeaderParam("X-Hub-Signature-256") @Nullable String signature,
            byte @Nullable [] body) {
        return answer(intake.receive(
                HookIntake.Vendor.GITHUB,
                workspace,
                repo,
                new HookIntake.Headers(event, delivery, null, signature, client()),
                body == null ? new byte[0] : body,
                uri.getBaseUri()));
    }

    @POST
    @Path("/bitbucket/{workspace}/{repo}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary =
                    "Bitbucket Data Center webhook (pr:comment:added, pr:reviewer:needs_work, repo:refs_changed, diagnostics:ping); authenticated by X-Hub-Signature (HMAC-SHA256)")
    public Response bitbucket(
            @PathParam("workspace") String workspace,
            @PathParam("repo") String repo,
            @HeaderParam("X-Event-Key") @Nullable String event,
            @HeaderParam("X-Request-Id") @Nullable String delivery,
            @HeaderParam("X-Hub-Signature") @Nullable String signature,
            byte @Nullable [] body) {
        return answer(intake.receive(
                HookIntake.Vendor.BITBUCKET,
                workspace,
                repo,
                new HookIntake.Headers(event, delivery, null, signature, client()),
                body == null ? new byte[0] : body,
                uri.getBaseUri()));
    }

    private String client() {
        return request == null || request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }

    private static Response answer(HookIntake.Outcome outcome) {
        return Response.status(outcome.session() == null ? 200 : 202)
                .entity(outcome)
                .build();
    }
}
