package dev.drydock.server.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.migration.BoardLayout;
import dev.drydock.server.migration.MigrationService;
import dev.drydock.server.migration.MigrationView;
import dev.drydock.server.migration.Plan;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/workspaces/{slug}/migrations}: a workspace's migrations, the form that starts one,
 * and each migration's board: the task graph with each task's state, session, diff and merge request,
 * tokens and cost, refreshed live by {@code /assets/migration.js} from the board's JSON. Every call
 * goes through {@link MigrationService}: viewers read, members act, outsiders get 404.
 */
@Path("/portal/workspaces/{slug}/migrations")
@Authenticated
public class PortalMigrationResource {
    @Context
    UriInfo uri;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CurrentUser currentUser;

    @Inject
    MigrationService migrations;

    @Inject
    DeliveryService delivery;

    @Inject
    GitMirrors mirrors;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance migrations(
                Principal user,
                String workspace,
                List<MigrationView.Summary> migrations,
                List<String> repositories,
                boolean canAct);

        static native TemplateInstance board(
                Principal user,
                MigrationView migration,
                BoardLayout.Layout layout,
                Map<String, String> mergeRequests,
                Map<String, String> costs,
                String planJson,
                boolean canAct,
                boolean editable);
    }

    /** What the board's script reads: the migration, and each task's merge request link if one is open. */
    public record Board(MigrationView migration, Map<String, String> mergeRequests, Map<String, String> costs) {}

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance list(@PathParam("slug") String slug) {
        Principal user = currentUser.principal();
        List<MigrationView.Summary> list = migrations.list(user, slug, 100);
        return Templates.migrations(user, slug, list, mirrors.available(slug), canAct(user, slug));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(
            @PathParam("slug") String slug,
            @FormParam("goal") @Nullable String goal,
            @FormParam("repositories") @Nullable List<String> repositories,
            @FormParam("maxParallel") @Nullable String maxParallel,
            @FormParam("readyWhen") @Nullable String readyWhen) {
        Integer parallel = null;
        if (maxParallel != null && !maxParallel.isBlank()) {
            try {
                parallel = Integer.valueOf(maxParallel.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("maxParallel must be a whole number");
            }
        }
        MigrationView m = migrations.create(
                currentUser.principal(),
                slug,
                new MigrationService.CreateMigration(
                        goal, repositories == null ? List.of() : repositories, parallel, readyWhen),
                uri.getBaseUri());
        return back(slug, m.id());
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance board(@PathParam("slug") String slug, @PathParam("id") String id) {
        Principal user = currentUser.principal();
        Board b = boardOf(user, slug, id);
        Plan plan = migrations.plan(user, slug, id);
        String planJson;
        try {
            planJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        MigrationView m = b.migration();
        return Templates.board(
                user,
                m,
                BoardLayout.of(m.tasks()),
                b.mergeRequests(),
                b.costs(),
                planJson,
                canAct(user, slug),
                m.state().equals("planned") || m.state().equals("plan_failed"));
    }

    /** The board's data for its live refresh (same rules as the page). */
    @GET
    @Path("/{id}/board")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Board boardData(@PathParam("slug") String slug, @PathParam("id") String id) {
        return boardOf(currentUser.principal(), slug, id);
    }

    @POST
    @Path("/{id}/plan")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response plan(
            @PathParam("slug") String slug, @PathParam("id") String id, @FormParam("plan") @Nullable String plan) {
        JsonNode body;
        try {
            body = JSON.readTree(plan == null ? "" : plan);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the plan is not valid JSON: " + e.getOriginalMessage());
        }
        migrations.putPlan(currentUser.principal(), slug, id, body);
        return back(slug, id);
    }

    @POST
    @Path("/{id}/approve")
    @Operation(hidden = true)
    public Response approve(@PathParam("slug") String slug, @PathParam("id") String id) {
        migrations.approve(currentUser.principal(), slug, id);
        return back(slug, id);
    }

    @POST
    @Path("/{id}/tasks/{task}/retry")
    @Operation(hidden = true)
    public Response retry(@PathParam("slug") String slug, @PathParam("id") String id, @PathParam("task") String task) {
        migrations.retry(currentUser.principal(), slug, id, task);
        return back(slug, id);
    }

    @POST
    @Path("/{id}/tasks/{task}/skip")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response skip(
            @PathParam("slug") String slug,
            @PathParam("id") String id,
            @PathParam("task") String task,
            @FormParam("unblockDependents") @Nullable String unblock) {
        migrations.skip(currentUser.principal(), slug, id, task, "on".equals(unblock) || "true".equals(unblock));
        return back(slug, id);
    }

    @POST
    @Path("/{id}/tasks/{task}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response edit(
            @PathParam("slug") String slug,
            @PathParam("id") String id,
            @PathParam("task") String task,
            @FormParam("scope") @Nullable String scope,
            @FormParam("instructions") @Nullable String instructions,
            @FormParam("acceptance") @Nullable String acceptance) {
        migrations.editTask(
                currentUser.principal(),
                slug,
                id,
                task,
                new MigrationService.EditTask(scope, instructions, acceptance));
        return back(slug, id);
    }

    private Board boardOf(Principal user, String slug, String id) {
        MigrationView m = migrations.get(user, slug, id);
        Map<String, String> mrs = new LinkedHashMap<>();
        Map<String, String> costs = new LinkedHashMap<>();
        for (MigrationView.Task t : m.tasks()) {
            costs.put(t.id(), PortalFormat.cost(t.totals().costMicros()));
            String session = t.session();
            if (session != null && "succeeded".equals(t.state())) {
                DeliveryService.DeliveryView d = delivery.view(user, session);
                if (d.mergeRequest() != null) {
                    mrs.put(t.id(), d.mergeRequest().url());
                }
            }
        }
        costs.put("", PortalFormat.cost(m.totals().costMicros()));
        return new Board(m, mrs, costs);
    }

    private static boolean canAct(Principal user, String slug) {
        return user.roleIn(slug).filter(r -> r.atLeast(WorkspaceRole.MEMBER)).isPresent();
    }

    private static Response back(String slug, String id) {
        return Response.seeOther(URI.create("/portal/workspaces/" + slug + "/migrations/" + id))
                .build();
    }
}
