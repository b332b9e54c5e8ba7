package dev.drydock.server.portal;

import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.event.Telemetry.ContextMeasured;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryService;
import dev.drydock.server.eventlog.EventCodec;
import dev.drydock.server.eventlog.EventStreams;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
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
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/sessions/{id}}: one session's live activity log and context panel, its event stream
 * for the page (SSE over the portal's cookie session), and the forms that steer it. Every call goes
 * through {@link SessionService}, which applies the same rules as {@code /api/sessions}: outsiders get
 * 404, viewers read, members act.
 */
@Path("/portal/sessions/{id}")
@Authenticated
public class PortalSessionResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    SessionService sessions;

    @Inject
    EventStreams streams;

    @Inject
    DeliveryService delivery;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance session(
                Principal user,
                SessionView session,
                Panel panel,
                boolean canAct,
                List<ArtifactRow> artifacts,
                String eventTypes,
                DeliveryService.@Nullable DeliveryView delivery,
                String reviewHtml,
                List<AttachmentRow> attachments);

        static native TemplateInstance review(Review review);
    }

    /**
     * The review tab: the change per file (numbered, highlighted, with a file list to jump between
     * them), the patch to download when the session published a branch, and the session's documents
     * read as documents (Markdown rendered on the server, HTML and SVG in a sandboxed frame).
     */
    public record Review(
            String sessionId,
            boolean finished,
            boolean patch,
            List<ReviewDiff.FileDiff> files,
            List<DocumentRow> documents) {
        public int added() {
            return files.stream().mapToInt(ReviewDiff.FileDiff::added).sum();
        }

        public int removed() {
            return files.stream().mapToInt(ReviewDiff.FileDiff::removed).sum();
        }
    }

    /** A text attached when the session started, shown folded with its size; Qute escapes {@code text}. */
    public record AttachmentRow(String name, String origin, int chars, String size, String text) {
        static AttachmentRow of(dev.drydock.server.agent.event.Conversation.Attached a) {
            int chars = a.text().length();
            long lines = a.text().lines().count();
            String size = chars + (chars == 1 ? " character" : " characters") + ", " + lines
                    + (lines == 1 ? " line" : " lines");
            return new AttachmentRow(a.name(), a.origin(), chars, size, a.text());
        }
    }

    /** A document artifact: Markdown as sanitised HTML ({@code html}), or HTML and SVG served to a sandboxed frame ({@code framed}). */
    public record DocumentRow(int index, String kind, String title, String mediaType, String html, boolean framed) {}

    /** Media types the portal shows in a sandboxed frame instead of as text. */
    static final java.util.Set<String> FRAMED = java.util.Set.of("text/html", "image/svg+xml");

    /** What an artifact served on its own may do: nothing but show itself, framed only by the portal. */
    static final String ARTIFACT_POLICY =
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'";

    /** The context panel's figures, formatted for people. */
    public record Panel(
            String status,
            String outcome,
            long promptTokens,
            long completionTokens,
            String cost,
            @Nullable Meter meter,
            boolean resumable,
            boolean cancellable) {}

    /** The latest context meter: tokens used of the window, and by source. */
    public record Meter(long used, long window, int percent, long system, long rules, long retrieved, long history) {
        static @Nullable Meter of(@Nullable ContextMeasured m) {
            return m == null
                    ? null
                    : new Meter(
                            m.used(),
                            m.window(),
                            m.window() <= 0 ? 0 : (int) Math.min(100, m.used() * 100 / m.window()),
                            m.system(),
                            m.rules(),
                            m.retrieved(),
                            m.history());
        }
    }

    /** An artifact with its content, ready to show; {@code diff} when its lines are a unified diff. */
    public record ArtifactRow(
            int index,
            String kind,
            String title,
            String location,
            String content,
            boolean diff,
            boolean document,
            List<DiffLine> lines) {
        static ArtifactRow of(int index, ArtifactProduced a) {
            boolean diff = a.kind() == ArtifactKind.DIFF;
            return new ArtifactRow(
                    index,
                    a.kind().name().toLowerCase(Locale.ROOT),
                    a.title(),
                    a.location(),
                    a.content(),
                    diff,
                    a.kind() == ArtifactKind.DOCUMENT || a.kind() == ArtifactKind.RCA,
                    diff ? a.content().lines().map(DiffLine::of).toList() : List.of());
        }
    }

    /** One line of a rendered diff, with the class that colours it. */
    public record DiffLine(String css, String text) {
        static DiffLine of(String line) {
            String css = line.startsWith("+++")
                            || line.startsWith("---")
                            || line.startsWith("diff ")
                            || line.startsWith("index ")
                    ? "diff-meta"
                    : line.startsWith("@@")
                            ? "diff-hunk"
                            : line.startsWith("+") ? "diff-add" : line.startsWith("-") ? "diff-del" : "diff-ctx";
            return new DiffLine(css, line);
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("id") String id) {
        Principal user = currentUser.principal();
        SessionView s = sessions.get(user, id);
        boolean canAct = user.roleIn(s.workspace())
                .filter(r -> r.atLeast(WorkspaceRole.MEMBER))
                .isPresent();
        boolean finished = s.status().equals("finished");
        boolean resumable = s.status().equals("interrupted")
                || (finished
                        && s.outcome() != null
                        && !s.outcome().equals("completed")
                        && !s.outcome().equals("cancelled"));
        Panel panel = new Panel(
                s.queue() == null
                        ? s.status().replace('_', ' ')
                        : "queued, position " + s.queue().position(),
                s.outcome() == null ? "" : s.outcome().replace('_', ' '),
                s.totals().promptTokens(),
                s.totals().completionTokens(),
                PortalFormat.cost(s.totals().costMicros()),
                Meter.of(s.context()),
                resumable,
                !finished);
        List<ArtifactProduced> produced = sessions.artifacts(user, id);
        List<ArtifactRow> artifacts = java.util.stream.IntStream.range(0, produced.size())
                .mapToObj(i -> ArtifactRow.of(i, produced.get(i)))
                .toList();
        DeliveryService.DeliveryView delivered = s.repo().isEmpty() ? null : delivery.view(user, id);
        DeliveryService.DeliveryView branch = delivered == null || delivered.agentBranch() == null ? null : delivered;
        return Templates.session(
                user,
                s,
                panel,
                canAct,
                artifacts,
                String.join(" ", EventCodec.TYPE_NAMES.values()),
                branch,
                Templates.review(review(s, produced, branch != null)).render(),
                s.attachments().isEmpty()
                        ? List.of()
                        : sessions.attachments(user, id).stream()
                                .map(AttachmentRow::of)
                                .toList());
    }

    /** The review tab alone, which the page fetches when the session finishes while it is open. */
    @GET
    @Path("/review")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance reviewTab(@PathParam("id") String id) {
        Principal user = currentUser.principal();
        SessionView s = sessions.get(user, id);
        DeliveryService.DeliveryView delivered = s.repo().isEmpty() ? null : delivery.view(user, id);
        return Templates.review(
                review(s, sessions.artifacts(user, id), delivered != null && delivered.agentBranch() != null));
    }

    static Review review(SessionView s, List<ArtifactProduced> artifacts, boolean patch) {
        List<ReviewDiff.FileDiff> files = new java.util.ArrayList<>();
        List<DocumentRow> documents = new java.util.ArrayList<>();
        for (int i = 0; i < artifacts.size(); i++) {
            ArtifactProduced a = artifacts.get(i);
            switch (a.kind()) {
                case DIFF -> files.addAll(ReviewDiff.parse(a.content()).files());
                case DOCUMENT, RCA -> {
                    boolean framed = FRAMED.contains(a.mediaType());
                    documents.add(new DocumentRow(
                            i,
                            a.kind().name().toLowerCase(Locale.ROOT),
                            a.title(),
                            a.mediaType(),
                            framed ? "" : PortalMarkdown.html(a.content()),
                            framed));
                }
                case BRANCH -> {}
            }
        }
        return new Review(s.id(), s.status().equals("finished"), patch, List.copyOf(files), List.copyOf(documents));
    }

    /** The session's change as a patch file ({@code git format-patch --stdout}; apply with {@code git am}). */
    @GET
    @Path("/patch")
    @Produces("text/x-patch")
    @Operation(hidden = true)
    public Response patch(@PathParam("id") String id) {
        DeliveryService.Patch patch = delivery.patch(currentUser.principal(), id);
        return Response.ok(patch.text(), "text/x-patch; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + patch.filename() + "\"")
                .build();
    }

    /**
     * One artifact's content on its own, for the review tab's sandboxed frame: HTML and SVG with their
     * media type under a policy that runs no script, loads nothing and lets only the portal frame it;
     * anything else as plain text.
     */
    @GET
    @Path("/artifacts/{index}")
    @Operation(hidden = true)
    public Response artifact(@PathParam("id") String id, @PathParam("index") int index) {
        List<ArtifactProduced> artifacts = sessions.artifacts(currentUser.principal(), id);
        if (index < 0 || index >= artifacts.size()) {
            throw ProblemException.notFound("Artifact " + index + " of session " + id);
        }
        ArtifactProduced a = artifacts.get(index);
        String type = FRAMED.contains(a.mediaType()) ? a.mediaType() : "text/plain";
        return Response.ok(a.content(), type + "; charset=utf-8")
                .header("Content-Security-Policy", ARTIFACT_POLICY)
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .build();
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // authorises against the database before the stream starts
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> events(
            @PathParam("id") String id,
            @HeaderParam("Last-Event-ID") @Nullable String lastEventId,
            @QueryParam("after") @Nullable Long after,
            @Context Sse sse) {
        var who = currentUser.principal();
        sessions.requireRead(who, id);
        return streams.stream(
                id, EventStreams.cursor(lastEventId, after), who.subject(), currentUser.credentialExpiry(), sse);
    }

    @POST
    @Path("/answer")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response answer(
            @PathParam("id") String id,
            @FormParam("callId") @Nullable String callId,
            @FormParam("answer") @Nullable String answer) {
        sessions.answer(
                currentUser.principal(),
                id,
                callId == null || callId.isBlank() ? null : callId,
                answer == null ? "" : answer);
        return back(id);
    }

    @POST
    @Path("/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response approve(@PathParam("id") String id, @FormParam("callId") @Nullable String callId) {
        sessions.decide(currentUser.principal(), id, required(callId), true, "");
        return back(id);
    }

    @POST
    @Path("/deny")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response deny(
            @PathParam("id") String id,
            @FormParam("callId") @Nullable String callId,
            @FormParam("reason") @Nullable String reason) {
        sessions.decide(currentUser.principal(), id, required(callId), false, reason == null ? "" : reason.strip());
        return back(id);
    }

    @POST
    @Path("/cancel")
    @Operation(hidden = true)
    public Response cancel(@PathParam("id") String id) {
        sessions.cancel(currentUser.principal(), id);
        return back(id);
    }

    @POST
    @Path("/resume")
    @Operation(hidden = true)
    public Response resume(@PathParam("id") String id) {
        sessions.resume(currentUser.principal(), id);
        return back(id);
    }

    @POST
    @Path("/deliver")
    @Operation(hidden = true)
    public Response deliver(@PathParam("id") String id, @Context UriInfo uri) {
        delivery.deliver(
                currentUser.principal(),
                id,
                dev.drydock.server.delivery.DeliveryResource.sessionLink(uri.getBaseUri(), id));
        return back(id);
    }

    private static String required(@Nullable String callId) {
        if (callId == null || callId.isBlank()) {
            throw ProblemException.badRequest("callId is required: use the buttons next to the pending action.");
        }
        return callId;
    }

    private static Response back(String id) {
        return Response.seeOther(URI.create("/portal/sessions/" + id)).build();
    }
}
