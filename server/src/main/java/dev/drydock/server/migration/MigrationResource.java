package dev.drydock.server.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.auth.CurrentUser;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/workspaces/{workspace}/migrations}: migrations of a workspace, their plans and their
 * tasks. Viewers read; members create, edit the plan, approve it and retry, edit or skip tasks.
 */
@Path("/api/workspaces/{workspace}/migrations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {
    @Context
    UriInfo uri;

    @Inject
    CurrentUser currentUser;

    @Inject
    MigrationService migrations;

    /** Whether a skip lets the task's dependents run ({@code true}) or skips them with it (the default). */
    public record SkipRequest(@Nullable Boolean unblockDependents) {}

    @GET
    @Operation(summary = "The workspace's migrations, newest first, with task counts")
    public List<MigrationView.Summary> list(
            @PathParam("workspace") String workspace, @QueryParam("limit") @DefaultValue("50") int limit) {
        return migrations.list(currentUser.principal(), workspace, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Start a migration: goal, repositories, optional maxParallel and readyWhen (session-succeeded or merged); a knowledge droid session writes its plan")
    public Response create(
            @PathParam("workspace") String workspace, MigrationService.@Nullable CreateMigration request) {
        return Response.status(201)
                .entity(migrations.create(currentUser.principal(), workspace, request, uri.getBaseUri()))
                .build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A migration with each task's state, session, tokens and cost")
    public MigrationView get(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return migrations.get(currentUser.principal(), workspace, id);
    }

    @GET
    @Path("/{id}/plan")
    @Operation(
            summary =
                    "The plan in the schema PUT takes: {tasks: [{id, repository, scope, instructions, acceptance, dependsOn}]}")
    public Plan plan(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return migrations.plan(currentUser.principal(), workspace, id);
    }

    @PUT
    @Path("/{id}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the plan before approval; duplicates, dangling dependencies and cycles are refused")
    public MigrationView putPlan(
            @PathParam("workspace") String workspace, @PathParam("id") String id, @Nullable JsonNode plan) {
        return migrations.putPlan(currentUser.principal(), workspace, id, plan);
    }

    @POST
    @Path("/{id}/approve")
    @Operation(summary = "Approve the plan; the scheduler starts running its tasks")
    public MigrationView approve(@PathParam("workspace") String workspace, @PathParam("id") String id) {
        return migrations.approve(currentUser.principal(), workspace, id);
    }

    @PATCH
    @Path("/{id}/tasks/{task}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit a pending or failed task's scope, instructions or acceptance")
    public MigrationView editTask(
            @PathParam("workspace") String workspace,
            @PathParam("id") String id,
            @PathParam("task") String task,
            MigrationService.@Nullable EditTask edit) {
        return migrations.editTask(currentUser.principal(), workspace, id, task, edit);
    }

    @POST
    @Path("/{id}/tasks/{task}/retry")
    @Operation(summary = "Run a failed task again in a new session")
    public MigrationView retry(
            @PathParam("workspace") String workspace, @PathParam("id") String id, @PathParam("task") String task) {
        return migrations.retry(currentUser.principal(), workspace, id, task);
    }

    @POST
    @Path("/{id}/tasks/{task}/skip")
    @Operation(
            summary =
                    "Skip a pending or failed task; unblockDependents=true lets its dependents run, otherwise they are skipped too")
    public MigrationView skip(
            @PathParam("workspace") String workspace,
            @PathParam("id") String id,
            @PathParam("task") String task,
            @Nullable SkipRequest request) {
        boolean unblock = request != null && Boolean.TRUE.equals(request.unblockDependents());
        return migrations.skip(currentUser.principal(), workspace, id, task, unblock);
    }
}
