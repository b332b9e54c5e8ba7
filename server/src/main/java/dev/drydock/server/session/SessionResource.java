package dev.drydock.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.eventlog.EventStreams;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** {@code /api/sessions}: delegate a task to a droid, follow it, steer it. */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    SessionService sessions;

    @Inject
    EventStreams streams;

    /** Answer to a question. */
    public record AnswerRequest(@Nullable String callId, String answer) {}

    /** Approval or denial of a pending action. */
    public record DecisionRequest(String callId, @Nullable String reason) {}

    /** A message added to the conversation. */
    public record MessageRequest(String text) {}

    @POST
    @Path("/sessions")
    @Operation(
            summary =
                    "Delegate a task to a droid (code, knowledge, reliability); waits in the queue (status queued) when every sandbox is taken")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(
            SessionService.@Nullable CreateSession request,
            @QueryParam("priority") @DefaultValue("normal") String priority) {
        SessionQueue.Priority p = SessionQueue.Priority.parse(priority)
                .orElseThrow(() -> ProblemException.badRequest(
                        "priority must be low, normal or high (high needs workspace-admin), not '" + priority + "'"));
        SessionView v = sessions.create(
                currentUser.principal(),
                required(request, "a JSON object with workspace, droid and task (and optionally repo)"),
                p);
        return Response.created(URI.create("/api/sessions/" + v.id())).entity(v).build();
    }

    @GET
    @Path("/sessions")
    @Operation(summary = "Sessions the caller may see, newest first")
    public List<SessionView.Summary> list(
            @QueryParam("workspace") @Nullable String workspace, @QueryParam("limit") @DefaultValue("100") int limit) {
        return sessions.list(currentUser.principal(), workspace, limit);
    }

    @GET
    @Path("/sessions/{id}")
    @Operation(summary = "A session: status, plan, pending question/approvals, totals, artifacts")
    public SessionView get(@PathParam("id") String id) {
        return sessions.get(currentUser.principal(), id);
    }

    @GET
    @Path("/sessions/{id}/events")
    @Operation(summary = "A page of the session's events (JSON envelopes), after a seq")
    public List<JsonNode> events(
            @PathParam("id") String id,
            @QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("500") int limit) {
        sessions.requireRead(currentUser.principal(), id);
        return streams.page(id, after, Math.max(1, Math.min(5000, limit)));
    }

    @GET
    @Path("/sessions/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // authorises against the database before the stream starts
    @Operation(summary = "The session's events as SSE (id: seq); resumable with Last-Event-ID")
    public Multi<OutboundSseEvent> stream(
            @PathParam("id") String id,
            @HeaderParam("Last-Event-ID") @Nullable String lastEventId,
            @QueryParam("after") @Nullable Long after,
            @Context Sse sse) {
        var who = currentUser.principal();
        sessions.requireRead(who, id);
        return streams.stream(
                id, EventStreams.cursor(lastEventId, after), who.subject(), currentUser.credentialExpiry(), sse);
    }

    @GET
    @Path("/sessions/{id}/artifacts")
    @Operation(summary = "The session's artifacts with their content")
    public List<ArtifactProduced> artifacts(@PathParam("id") String id) {
        return sessions.artifacts(currentUser.principal(), id);
    }

    @POST
    @Path("/sessions/{id}/cancel")
    @Operation(summary = "Cancel: the sandbox's processes are killed and the session ends cancelled")
    public SessionView cancel(@PathParam("id") String id) {
        return sessions.cancel(currentUser.principal(), id);
    }

    @POST
    @Path("/sessions/{id}/answer")
    @Operation(summary = "Answer the droid's question; the session continues")
    @Consumes(MediaType.APPLICATION_JSON)
    public SessionView answer(@PathParam("id") String id, @Nullable AnswerRequest body) {
        AnswerRequest request = required(body, "a JSON object with the answer (and the question's callId)");
        return sessions.answer(currentUser.principal(), id, request.callId(), request.answer());
    }

    @POST
    @Path("/sessions/{id}/approve")
    @Operation(summary = "Approve a pending action")
    @Consumes(MediaType.APPLICATION_JSON)
    public SessionView approve(@PathParam("id") String id, @Nullable DecisionRequest body) {
        DecisionRequest request = required(body, "a JSON object with the pending action's callId");
        return sessions.decide(currentUser.principal(), id, request.callId(), true, "");
    }

    @POST
    @Path("/sessions/{id}/deny")
    @Operation(summary = "Deny a pending action; the droid sees the refusal")
    @Consumes(MediaType.APPLICATION_JSON)
    public SessionView deny(@PathParam("id") String id, @Nullable DecisionRequest body) {
        DecisionRequest request = required(body, "a JSON object with the pending action's callId (and a reason)");
        return sessions.decide(
                currentUser.principal(), id, request.callId(), false, request.reason() == null ? "" : request.reason());
    }

    @POST
    @Path("/sessions/{id}/resume")
    @Operation(summary = "Resume an interrupted session, or one that hit a limit or lost the model")
    public SessionView resume(@PathParam("id") String id) {
        return sessions.resume(currentUser.principal(), id);
    }

    @POST
    @Path("/sessions/{id}/messages")
    @Operation(summary = "Add a message for the droid to read at its next step")
    @Consumes(MediaType.APPLICATION_JSON)
    public SessionView message(@PathParam("id") String id, @Nullable MessageRequest body) {
        MessageRequest request = required(body, "a JSON object with the message's text");
        return sessions.message(currentUser.principal(), id, request.text());
    }

    /** The request body, or 400 when there is none (an empty body, or JSON {@code null}). */
    private static <T> T required(@Nullable T body, String expected) {
        if (body == null) {
            throw dev.drydock.server.problem.ProblemException.badRequest("The request body must be " + expected + ".");
        }
        return body;
    }
}
