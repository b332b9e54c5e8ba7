package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.repository.RepositoryView;
import dev.drydock.server.session.MemoryService;
import dev.drydock.server.session.SessionConfig;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import dev.drydock.server.ticket.TicketService;
import dev.drydock.server.workspace.WorkspaceService;
import dev.drydock.server.workspace.WorkspaceService.WorkspaceView;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/workspaces/{slug}}: a workspace's repositories and sessions, and the form that
 * starts a session. Authorization is the services' (outsiders 404, viewers read only).
 */
@Path("/portal/workspaces/{slug}")
@Authenticated
public class PortalWorkspaceResource {
    @Inject
    CurrentUser currentUser;

    @Inject
    WorkspaceService workspaces;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    SessionService sessions;

    @Inject
    MemoryService memories;

    @Inject
    SessionConfig sessionConfig;

    @Inject
    TicketService tickets;

    @Context
    UriInfo uri;

    private final Clock clock = Clock.systemUTC();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance workspace(
                Principal user,
                WorkspaceView workspace,
                boolean canStart,
                List<RepositoryView> repositories,
                List<SessionRow> sessions,
                SessionService.Choices choices,
                List<MemoryService.MemoryView> memories,
                NewSession form,
                FormErrors errors,
                AttachmentLimits limits,
                TicketSession ticketForm,
                FormErrors ticketErrors);
    }

    /** What the From a ticket form holds: as first shown, or as the person filled it when it was refused. */
    public record TicketSession(String ticket, String droid, String repo) {
        static final TicketSession EMPTY = new TicketSession("", "code", "");
    }

    /** What the New session form holds: as first shown, or as the person filled it when it was refused. */
    public record NewSession(String droid, String repo, String title, String task, List<Paste> pastes) {
        static final NewSession EMPTY = new NewSession("", "", "", "", List.of());

        /** The pastes to show: those given, and one empty slot for another. */
        public List<Paste> slots() {
            List<Paste> out = new ArrayList<>(pastes);
            out.add(new Paste("", "", ""));
            return out;
        }
    }

    /**
     * One named text given with the task: pasted (origin empty, "pasted" for the droid) or an uploaded
     * file kept as a paste when the form comes back with an error (origin "file"), so that it is not lost.
     */
    public record Paste(String name, String text, String origin) {}

    /** The attachment limits of the API ({@code drydock.session.*}), shown next to the form. */
    public record AttachmentLimits(int count, int chars, int totalChars) {}

    /** One line of the sessions table, formatted for people. */
    public record SessionRow(
            String id,
            String title,
            String droid,
            String repo,
            String status,
            String outcome,
            long tokens,
            String cost,
            String createdBy,
            String createdAt,
            String age) {
        static SessionRow of(SessionView.Summary s, Instant now) {
            return new SessionRow(
                    s.id(),
                    s.title(),
                    s.droid(),
                    s.repo(),
                    s.queuePosition() == null ? s.status().replace('_', ' ') : "queued, position " + s.queuePosition(),
                    s.outcome() == null ? "" : s.outcome().replace('_', ' '),
                    s.totals().promptTokens() + s.totals().completionTokens(),
                    PortalFormat.cost(s.totals().costMicros()),
                    s.createdBy(),
                    s.createdAt().toString(),
                    PortalFormat.age(s.createdAt(), now));
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("slug") String slug) {
        Principal user = currentUser.principal();
        return page(user, slug, NewSession.EMPTY, FormErrors.NONE);
    }

    private TemplateInstance page(Principal user, String slug, NewSession form, FormErrors errors) {
        return page(user, slug, form, errors, TicketSession.EMPTY, FormErrors.NONE);
    }

    private TemplateInstance page(
            Principal user,
            String slug,
            NewSession form,
            FormErrors errors,
            TicketSession ticketForm,
            FormErrors ticketErrors) {
        WorkspaceView ws = workspaces.get(user, slug);
        Instant now = clock.instant();
        List<SessionRow> rows = sessions.list(user, slug, 100).stream()
                .map(s -> SessionRow.of(s, now))
                .toList();
        boolean canStart =
                user.roleIn(slug).filter(r -> r.atLeast(WorkspaceRole.MEMBER)).isPresent();
        return Templates.workspace(
                user,
                ws,
                canStart,
                repositories.list(user, slug),
                rows,
                sessions.choices(user, slug),
                memories.list(user, slug),
                form,
                errors,
                new AttachmentLimits(
                        sessionConfig.maxAttachments(),
                        sessionConfig.maxAttachmentChars(),
                        sessionConfig.maxAttachmentsChars()),
                ticketForm,
                ticketErrors);
    }

    /**
     * The From a ticket form: a Jira key or link, or a GitLab issue of the repository, becomes a session
     * (the API's {@code POST /api/workspaces/{ws}/tickets/sessions}); a refusal comes back in the form
     * with the service's status and everything entered kept.
     */
    @POST
    @Path("/ticket-sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response startFromTicket(
            @PathParam("slug") String slug,
            @FormParam("ticket") @Nullable String ticket,
            @FormParam("droid") @Nullable String droid,
            @FormParam("repo") @Nullable String repo) {
        Principal user = member(slug);
        TicketSession form = new TicketSession(text(ticket), text(droid), text(repo));
        if (form.ticket().isBlank()) {
            return ticketRefused(
                    user,
                    slug,
                    form,
                    new FormErrors(
                            "",
                            Map.of("ticket", "Give a Jira key or link (PROJ-12) or a GitLab issue (#4 or its link).")),
                    400);
        }
        TicketService.Started started;
        try {
            started = tickets.start(
                    user,
                    slug,
                    new TicketService.StartRequest(
                            form.ticket(),
                            form.repo().isBlank() ? null : form.repo(),
                            form.droid().isBlank() ? null : form.droid()),
                    uri.getBaseUri());
        } catch (ProblemException e) {
            if (e.problem().status() == 404 || e.problem().status() == 403) {
                throw e;
            }
            // the service's status stays (422 unknown issue, 502 Jira down, 429 at a limit): scripts see it too
            return ticketRefused(
                    user,
                    slug,
                    form,
                    FormErrors.of(e, List.of("ticket", "droid", "repo"), Map.of())
                            .onField("ticket"),
                    e.problem().status());
        }
        return Response.seeOther(
                        URI.create("/portal/sessions/" + started.session().id()))
                .build();
    }

    /** The caller, a member of the workspace: outsiders get 404 before anything of a form is looked at. */
    private Principal member(String slug) {
        Principal user = currentUser.principal();
        workspaces.get(user, slug);
        if (user.roleIn(slug).filter(r -> r.atLeast(WorkspaceRole.MEMBER)).isEmpty()) {
            throw ProblemException.forbidden("Starting a session in " + slug + " needs the member role.");
        }
        return user;
    }

    private Response ticketRefused(Principal user, String slug, TicketSession form, FormErrors errors, int status) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(user, slug, NewSession.EMPTY, FormErrors.NONE, form, errors)
                        .render())
                .build();
    }

    /** The New session form without files (scripts, browsers without the upload). */
    @POST
    @Path("/sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response start(
            @PathParam("slug") String slug,
            @FormParam("droid") @Nullable String droid,
            @FormParam("repo") @Nullable String repo,
            @FormParam("task") @Nullable String task,
            @FormParam("title") @Nullable String title,
            @FormParam("pasteName") @Nullable List<String> pasteNames,
            @FormParam("pasteText") @Nullable List<String> pasteTexts,
            @FormParam("pasteOrigin") @Nullable List<String> pasteOrigins) {
        return start(slug, droid, repo, task, title, pastes(pasteNames, pasteTexts, pasteOrigins), List.of());
    }

    /** The New session form as the page sends it: with named pastes and text files to attach. */
    @POST
    @Path("/sessions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response startWithFiles(
            @PathParam("slug") String slug,
            @RestForm @Nullable String droid,
            @RestForm @Nullable String repo,
            @RestForm @Nullable String task,
            @RestForm @Nullable String title,
            @RestForm("pasteName") @Nullable List<String> pasteNames,
            @RestForm("pasteText") @Nullable List<String> pasteTexts,
            @RestForm("pasteOrigin") @Nullable List<String> pasteOrigins,
            @RestForm("file") @Nullable List<FileUpload> files) {
        return start(
                slug,
                droid,
                repo,
                task,
                title,
                pastes(pasteNames, pasteTexts, pasteOrigins),
                files == null ? List.of() : files);
    }

    private Response start(
            String slug,
            @Nullable String droid,
            @Nullable String repo,
            @Nullable String task,
            @Nullable String title,
            List<Paste> pastes,
            List<FileUpload> files) {
        Principal user = member(slug);
        Map<String, String> errors = new LinkedHashMap<>();
        List<Paste> kept = new ArrayList<>(pastes);
        List<String> fileErrors = new ArrayList<>();
        for (FileUpload f : files) {
            String name = fileName(f.fileName());
            if (name.isEmpty() && f.size() == 0) {
                continue; // the file field left empty
            }
            try {
                kept.add(new Paste(name, text(f, name), "file"));
            } catch (ProblemException e) {
                fileErrors.add(e.problem().detail());
            }
        }
        if (!fileErrors.isEmpty()) {
            errors.put("file", String.join(" ", fileErrors));
        }
        NewSession form = new NewSession(text(droid), text(repo), text(title), text(task), List.copyOf(kept));
        if (droid == null || droid.isBlank()) {
            errors.put("droid", "Choose a droid.");
        }
        if (task == null || task.isBlank()) {
            errors.put("task", "Describe the task for the droid.");
        }
        for (Paste p : kept) {
            if (p.text().isBlank()) {
                errors.put(
                        "attachments",
                        "The paste " + (p.name().isBlank() ? "without a name" : "'" + p.name() + "'")
                                + " has no text: paste it, or clear its name.");
            }
        }
        if (!errors.isEmpty()) {
            return refused(user, slug, form, new FormErrors("", errors));
        }
        List<SessionService.Attachment> attachments = kept.stream()
                .map(p -> new SessionService.Attachment(
                        p.name().isBlank() ? null : p.name(), p.origin().isBlank() ? "pasted" : p.origin(), p.text()))
                .toList();
        SessionView v;
        try {
            v = sessions.create(
                    user,
                    new SessionService.CreateSession(
                            slug,
                            Objects.requireNonNull(droid, "checked above"),
                            Objects.requireNonNull(task, "checked above"),
                            repo,
                            null,
                            title,
                            attachments.isEmpty() ? null : attachments));
        } catch (ProblemException e) {
            if (e.problem().status() >= 500
                    || e.problem().status() == 404
                    || e.problem().status() == 403) {
                throw e;
            }
            String detail = e.problem().detail();
            FormErrors refusal = detail.toLowerCase(Locale.ROOT).contains("attachment")
                    ? new FormErrors("", Map.of("attachments", detail))
                    : FormErrors.of(e, List.of("droid", "repo", "task", "title"), Map.of());
            // the service's status stays (429 for a limit), so scripts and the browser see what happened
            return refused(user, slug, form, refusal, e.problem().status());
        }
        return Response.seeOther(URI.create("/portal/sessions/" + v.id())).build();
    }

    private Response refused(Principal user, String slug, NewSession form, FormErrors errors) {
        return refused(user, slug, form, errors, 400);
    }

    private Response refused(Principal user, String slug, NewSession form, FormErrors errors, int status) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(user, slug, form, errors).render())
                .build();
    }

    private static List<Paste> pastes(
            @Nullable List<String> names, @Nullable List<String> texts, @Nullable List<String> origins) {
        List<Paste> out = new ArrayList<>();
        int n = Math.max(names == null ? 0 : names.size(), texts == null ? 0 : texts.size());
        for (int i = 0; i < n; i++) {
            String name = names != null && i < names.size() ? text(names.get(i)).strip() : "";
            // a browser sends a textarea's line breaks as CRLF; the droid gets the text as it was pasted
            String body = texts != null && i < texts.size() ? text(texts.get(i)).replace("\r\n", "\n") : "";
            String origin = origins != null && i < origins.size() && "file".equals(origins.get(i)) ? "file" : "";
            if (!name.isEmpty() || !body.isBlank()) {
                out.add(new Paste(name, body, origin));
            }
        }
        return out;
    }

    /** The name of an uploaded file without any folder a browser may send along. */
    static String fileName(@Nullable String sent) {
        String name = sent == null ? "" : sent.strip();
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(slash + 1);
    }

    /** An uploaded file as UTF-8 text, or a refusal that names it and says why. */
    private String text(FileUpload f, String name) {
        long max = 4L * sessionConfig.maxAttachmentChars();
        if (f.size() > max) {
            throw ProblemException.badRequest(
                    "'" + name + "' is " + f.size() + " bytes, too large: an attachment may have at most "
                            + sessionConfig.maxAttachmentChars() + " characters.");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return UploadedText.decode(bytes, name);
    }

    private static String text(@Nullable String s) {
        return s == null ? "" : s;
    }

    @POST
    @Path("/memories/{id}/delete")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response forget(@PathParam("slug") String slug, @PathParam("id") long id) {
        memories.delete(currentUser.principal(), slug, id);
        return Response.seeOther(URI.create("/portal/workspaces/" + slug + "#memories"))
                .build();
    }
}
