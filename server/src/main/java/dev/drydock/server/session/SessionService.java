package dev.drydock.server.session;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.SessionState;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Lifecycle.Outcome;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.AccessRefused;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.droid.DroidProfile;
import dev.drydock.server.droid.DroidProfiles;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.workspace.WorkspaceSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Session use cases with their authorisation: viewers of a workspace may read its sessions, members
 * may run and steer them, nobody sees another workspace's sessions (404, as if they did not exist).
 */
@ApplicationScoped
public class SessionService {
    @Inject
    EntityManager em;

    @Inject
    EventLog log;

    @Inject
    SessionRunner runner;

    @Inject
    DroidProfiles profiles;

    @Inject
    GitMirrors mirrors;

    @Inject
    WorkspaceSettings settings;

    @Inject
    AuditTrail audit;

    @Inject
    SessionConfig config;

    private final Clock clock = Clock.systemUTC();

    /**
     * What a person asks for. {@code attachments} are texts given with the task (a pasted ticket or
     * log, a file, or what an integration brought: a ticket's description, an alert); the droid
     * reads them as untrusted data.
     */
    public record CreateSession(
            String workspace,
            String droid,
            String task,
            @Nullable String repo,
            @Nullable String commit,
            @Nullable String title,
            @Nullable List<Attachment> attachments) {
        public CreateSession(
                String workspace,
                String droid,
                String task,
                @Nullable String repo,
                @Nullable String commit,
                @Nullable String title) {
            this(workspace, droid, task, repo, commit, title, null);
        }
    }

    /**
     * A text attached to a new session. {@code name} is what the person and the model see it as
     * (a file name or a title, no folders); {@code origin} says where it came from in a few words
     * (default "pasted").
     */
    public record Attachment(
            @Nullable String name,
            @Nullable String origin,
            @Nullable String text) {}

    /** Identity of a stored session. */
    record Row(
            String id,
            String workspace,
            String droid,
            String repo,
            String title,
            String createdBy,
            Instant createdAt) {}

    /**
     * A session the system starts for itself, not for a person: {@code kind} marks it (e.g. {@code
     * gate}; such sessions stay out of the all-workspaces session list) and {@code endpoint} is the one
     * model endpoint its calls go to, whatever the routes say.
     */
    public record SystemRun(String kind, String endpoint) {}

    public SessionView create(Principal who, CreateSession req) {
        return create(who, req, null, SessionQueue.Priority.NORMAL);
    }

    /** Starts a session; {@code system} marks one the system starts for itself (see {@link SystemRun}). */
    public SessionView create(Principal who, CreateSession req, SystemRun system) {
        return create(who, req, system, SessionQueue.Priority.NORMAL);
    }

    /**
     * Starts a session with a queue priority: when every sandbox is taken, higher priorities leave the
     * queue first. {@code high} needs workspace-admin in the session's workspace.
     */
    public SessionView create(Principal who, CreateSession req, SessionQueue.Priority priority) {
        return create(who, req, null, priority);
    }

    private SessionView create(
            Principal who, CreateSession req, @Nullable SystemRun system, SessionQueue.Priority priority) {
        if (req.workspace() == null || req.task() == null || req.task().isBlank() || req.droid() == null) {
            throw ProblemException.badRequest("workspace, droid and task are required");
        }
        WorkspaceAccess.require(who, req.workspace(), WorkspaceRole.MEMBER);
        List<Conversation.Attached> attached = attachments(req.attachments());
        if (priority == SessionQueue.Priority.HIGH) {
            WorkspaceRole role = who.roleIn(req.workspace()).orElse(WorkspaceRole.VIEWER);
            if (!role.atLeast(WorkspaceRole.ADMIN)) {
                throw AccessRefused.forbidden(
                        who,
                        req.workspace(),
                        "high priority",
                        "high priority needs workspace-admin in workspace " + req.workspace() + "; you are "
                                + role.label() + " (use normal or low)");
            }
        }
        if (!runner.accepting()) {
            throw new ProblemException(
                    Problem.of(
                            503,
                            "shutting-down",
                            "Shutting down",
                            "This server is shutting down and takes no new sessions; try again (another replica will answer)."));
        }
        DroidProfile profile = profiles.get(req.droid());
        settings.requireAllowed(req.workspace(), profile.name(), profile.route());
        String repo = req.repo() == null ? "" : req.repo().strip();
        String commit = "";
        if (!repo.isEmpty()) {
            Path mirror = mirrors.mirror(req.workspace(), repo)
                    .orElseThrow(() ->
                            ProblemException.badRequest("repository '" + repo + "' is not a repository of workspace '"
                                    + req.workspace() + "' (register it there first)"));
            commit =
                    mirrors.resolve(mirror, req.commit() == null || req.commit().isBlank() ? "HEAD" : req.commit());
        } else if (profile.needsRepo()) {
            throw ProblemException.badRequest("the " + profile.name() + " droid needs a repository (repo)");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        String title = req.title() == null || req.title().isBlank()
                ? firstLine(req.task())
                : req.title().strip();
        String workspace = req.workspace();
        String droid = profile.name();
        withinLimits(
                who,
                workspace,
                () -> em.createNativeQuery(
                                "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at, system_run, pinned_endpoint, priority) "
                                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, cast(?8 as text), cast(?9 as text), ?10)")
                        .setParameter(1, id)
                        .setParameter(2, workspace)
                        .setParameter(3, droid)
                        .setParameter(4, repo)
                        .setParameter(5, title)
                        .setParameter(6, who.username())
                        .setParameter(7, now)
                        .setParameter(8, system == null ? null : system.kind())
                        .setParameter(9, system == null ? null : system.endpoint())
                        .setParameter(10, priority.value())
                        .executeUpdate());
        log.append(
                id.toString(),
                Source.USER,
                new Lifecycle.SessionStarted(profile.name(), req.task(), req.workspace(), repo, commit));
        for (Conversation.Attached a : attached) {
            log.append(id.toString(), Source.USER, a);
        }
        runner.kick(id.toString());
        return view(row(id.toString()).orElseThrow());
    }

    /** The attachments of a request, checked: every refusal names the attachment and the limit. */
    private List<Conversation.Attached> attachments(@Nullable List<Attachment> given) {
        if (given == null || given.isEmpty()) {
            return List.of();
        }
        if (given.size() > config.maxAttachments()) {
            throw ProblemException.badRequest("at most " + config.maxAttachments() + " attachments per session ("
                    + given.size() + " given); put related texts into one");
        }
        List<Conversation.Attached> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        long total = 0;
        for (int i = 0; i < given.size(); i++) {
            Attachment a = given.get(i);
            String which = "attachment " + (i + 1);
            if (a == null || a.text() == null || a.text().isBlank()) {
                throw ProblemException.badRequest(which + " has no text");
            }
            String name = a.name() == null || a.name().isBlank()
                    ? "attachment-" + (i + 1)
                    : a.name().strip();
            if (name.length() > 200) {
                throw ProblemException.badRequest(which + ": the name is longer than 200 characters");
            }
            if (name.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))
                    || name.equals(".")
                    || name.equals("..")) {
                throw ProblemException.badRequest(
                        which + ": the name '" + printable(name) + "' may not contain slashes or control characters");
            }
            if (!names.add(name)) {
                throw ProblemException.badRequest("two attachments are named '" + name + "'; give each its own name");
            }
            String origin = a.origin() == null || a.origin().isBlank()
                    ? "pasted"
                    : a.origin().strip();
            if (origin.length() > 200 || origin.chars().anyMatch(Character::isISOControl)) {
                throw ProblemException.badRequest(
                        which + ": origin must be a short line of text (at most 200 characters)");
            }
            String text = a.text();
            if (text.length() > config.maxAttachmentChars()) {
                throw ProblemException.badRequest("attachment '" + name + "' has " + text.length()
                        + " characters; at most " + config.maxAttachmentChars()
                        + " are allowed per attachment (keep the part of the log that matters)");
            }
            total += text.length();
            if (total > config.maxAttachmentsChars()) {
                throw ProblemException.badRequest("the attachments have more than " + config.maxAttachmentsChars()
                        + " characters together; attach less");
            }
            out.add(new Conversation.Attached(name, origin, text));
        }
        return out;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /** What a person may start in a workspace: the allowed droids that exist, and the repositories droids can start from. */
    public record Choices(List<String> droids, List<String> repositories) {}

    /** The choices of the new-session form; readable by anyone who may see the workspace. */
    public Choices choices(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.VIEWER);
        WorkspaceSettings.Policy policy = settings.policy(workspace);
        List<String> droids = profiles.all().keySet().stream()
                .filter(policy::allowsDroid)
                .sorted()
                .toList();
        return new Choices(droids, mirrors.available(workspace));
    }

    public List<SessionView.Summary> list(Principal who, @Nullable String workspace, int limit) {
        List<String> readable = new ArrayList<>();
        if (who.isDrydockAdmin() && workspace == null) {
            readable = null;
        } else {
            for (var m : who.workspaces()) {
                readable.add(m.workspace());
            }
            if (workspace != null) {
                if (who.roleIn(workspace).isEmpty()) {
                    return List.of();
                }
                readable = List.of(workspace);
            }
        }
        if (readable != null && readable.isEmpty()) {
            return List.of();
        }
        List<String> workspaces = readable;
        String where = workspaces == null ? "where system_run is null " : "where workspace in (:readable) ";
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = em.createNativeQuery(
                            "select id::text, workspace, droid, repo, title, created_by, created_at, updated_at, status, outcome, prompt_tokens, completion_tokens, cost_micros "
                                    + "from droid_session " + where + "order by created_at desc limit :limit")
                    .setParameter("limit", Math.min(500, Math.max(1, limit)));
            if (workspaces != null) {
                query.setParameter("readable", workspaces);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            Map<String, SessionQueue.Waiting> waiting = runner.queue()
                    .waiting(rows.stream()
                            .filter(r -> "queued".equals(r[8]))
                            .map(r -> (String) r[0])
                            .toList());
            return rows.stream()
                    .map(r -> new SessionView.Summary(
                            (String) r[0],
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            (String) r[4],
                            (String) r[5],
                            Columns.instant(r[6]),
                            Columns.instant(r[7]),
                            (String) r[8],
                            (String) r[9],
                            new SessionView.Totals(
                                    Columns.longValue(r[10]), Columns.longValue(r[11]), Columns.longValue(r[12])),
                            Optional.ofNullable(waiting.get((String) r[0]))
                                    .map(SessionQueue.Waiting::position)
                                    .orElse(null)))
                    .toList();
        });
    }

    public SessionView get(Principal who, String id) {
        return view(authorize(who, id, WorkspaceRole.VIEWER));
    }

    /** Checks read access to a session (for the event stream). */
    public void requireRead(Principal who, String id) {
        authorize(who, id, WorkspaceRole.VIEWER);
    }

    public List<ArtifactProduced> artifacts(Principal who, String id) {
        authorize(who, id, WorkspaceRole.VIEWER);
        return SessionState.fold(log.readAll(id)).artifacts();
    }

    /** The texts attached to the session when it started, in order, with their content. */
    public List<Conversation.Attached> attachments(Principal who, String id) {
        authorize(who, id, WorkspaceRole.VIEWER);
        return log.readAll(id).stream()
                .filter(e -> e.payload() instanceof Conversation.Attached)
                .map(e -> (Conversation.Attached) e.payload())
                .toList();
    }

    public SessionView cancel(Principal who, String id) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        if (state.finished()) {
            throw ProblemException.conflict("the session has already finished ("
                    + state.outcome().map(Enum::name).orElse("") + ")");
        }
        runner.cancel(id, who.username());
        return view(row);
    }

    public SessionView answer(Principal who, String id, @Nullable String callId, String answer) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        SessionState.Call asked = state.calls().stream()
                .filter(c -> c.stage() == SessionState.Stage.ASKED
                        && (callId == null || c.call().id().equals(callId)))
                .findFirst()
                .orElseThrow(() -> ProblemException.conflict(
                        "no question is waiting for an answer" + (callId == null ? "" : " with call id " + callId)));
        if (answer == null || answer.isBlank()) {
            throw ProblemException.badRequest("answer is required");
        }
        log.append(
                id, Source.USER, new Conversation.QuestionAnswered(asked.call().id(), answer.strip()));
        runner.kick(id);
        return view(row);
    }

    public SessionView decide(Principal who, String id, String callId, boolean approve, String reason) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        if (state.call(callId)
                .filter(c -> c.stage() == SessionState.Stage.AWAITING_APPROVAL)
                .isEmpty()) {
            throw ProblemException.conflict("no action with call id " + callId + " is waiting for approval");
        }
        log.append(
                id,
                Source.USER,
                approve
                        ? new Oversight.ActionApproved(callId, who.username())
                        : new Oversight.ActionDenied(callId, who.username(), reason == null ? "" : reason));
        runner.kick(id);
        return view(row);
    }

    public SessionView resume(Principal who, String id) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        boolean resumable = state.status() == SessionState.Status.INTERRUPTED
                || (state.finished()
                        && state.outcome()
                                .filter(o -> o != Outcome.COMPLETED && o != Outcome.CANCELLED)
                                .isPresent())
                || (state.status() == SessionState.Status.RUNNING && !runner.isDriving(id));
        if (!resumable) {
            throw ProblemException.conflict(
                    "the session is " + state.status().name().toLowerCase(Locale.ROOT)
                            + "; only interrupted sessions and sessions that hit a limit or lost the model can be resumed");
        }
        String by = "resumed by " + who.username();
        if (state.status() == SessionState.Status.RUNNING) {
            log.append(id, Source.USER, new Lifecycle.SessionResumed(by));
        } else {
            // an interrupted or finished session starts going again: it counts against the limits like a new one
            withinLimits(who, row.workspace(), () -> log.append(id, Source.USER, new Lifecycle.SessionResumed(by)));
        }
        runner.kick(id);
        return view(row);
    }

    public SessionView message(Principal who, String id, String text) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        if (state(id).finished()) {
            throw ProblemException.conflict("the session has finished; resume it first");
        }
        log.append(id, Source.USER, new Conversation.UserMessage(text));
        return view(row);
    }

    /**
     * Continues a session with a new user turn (e.g. a review comment on its merge request): a session
     * still going gets it as a message; a finished one starts going again with it, counted against the
     * limits like a new one.
     */
    public SessionView followUp(Principal who, String id, String text) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        if (text.isBlank()) {
            throw ProblemException.badRequest("the follow-up text is empty");
        }
        if (!state(id).finished()) {
            log.append(id, Source.USER, new Conversation.UserMessage(text));
        } else {
            withinLimits(who, row.workspace(), () -> {
                log.append(id, Source.USER, new Lifecycle.SessionResumed("continued by " + who.username()));
                log.append(id, Source.USER, new Conversation.UserMessage(text));
            });
        }
        runner.kick(id);
        return view(row);
    }

    /** Statuses of sessions that count against the limits: started and neither finished nor interrupted. */
    private static final String GOING =
            "status in ('new', 'queued', 'running', 'waiting_for_answer', 'waiting_for_approval')";

    /** Advisory lock key serialising the limit check and the start of a session ("drydock-sesslim"). */
    private static final long LIMIT_LOCK = 0x736573736c696dL;

    /**
     * Runs {@code start} (which makes a session count as going) only when {@code who} and {@code
     * workspace} are below their limits ({@code drydock.session.max-running-per-*}); the check and the
     * start hold one advisory lock, so concurrent requests cannot both take the last place.
     */
    private void withinLimits(Principal who, String workspace, Runnable start) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(?1)")
                    .setParameter(1, LIMIT_LOCK)
                    .getSingleResult();
            long mine = count("select count(*) from droid_session where created_by = ?1 and " + GOING, who.username());
            if (mine >= config.maxRunningPerUser()) {
                throw ProblemException.tooManyRequests("You already have " + mine
                        + " sessions going, the most one person may have at once (" + config.maxRunningPerUser()
                        + "). Wait for one to finish, or cancel one, then try again.");
            }
            long theirs = count("select count(*) from droid_session where workspace = ?1 and " + GOING, workspace);
            if (theirs >= config.maxRunningPerWorkspace()) {
                throw ProblemException.tooManyRequests("Workspace " + workspace + " already has " + theirs
                        + " sessions going, the most one workspace may have at once (" + config.maxRunningPerWorkspace()
                        + "). Wait for one to finish, or cancel one, then try again.");
            }
            start.run();
        });
    }

    private long count(String sql, String param) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, param).getSingleResult()).longValue();
    }

    private SessionState state(String id) {
        return SessionState.fold(log.readAll(id));
    }

    private Row authorize(Principal who, String id, WorkspaceRole needed) {
        Row row = row(id).orElseThrow(() -> ProblemException.notFound("Session " + id));
        WorkspaceRole role = who.roleIn(row.workspace())
                .orElseThrow(() -> AccessRefused.hidden(who, row.workspace(), "Session " + id));
        if (!role.atLeast(needed)) {
            throw AccessRefused.forbidden(
                    who,
                    row.workspace(),
                    "Session " + id,
                    "you are " + role.label() + " in workspace " + row.workspace() + "; this needs " + needed.label());
        }
        return row;
    }

    private Optional<Row> row(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select id::text, workspace, droid, repo, title, created_by, created_at from droid_session where id = ?1")
                    .setParameter(1, uuid)
                    .getResultList();
            return rows.stream()
                    .findFirst()
                    .map(r -> new Row(
                            (String) r[0],
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            (String) r[4],
                            (String) r[5],
                            Columns.instant(r[6])));
        });
    }

    private SessionView view(Row row) {
        SessionState s = state(row.id());
        SessionView.Question question = null;
        List<SessionView.Approval> approvals = new ArrayList<>();
        java.util.LinkedHashSet<String> files = new java.util.LinkedHashSet<>();
        List<SessionView.Attachment> attachments = new ArrayList<>();
        for (Event e : s.history()) {
            if (e.payload() instanceof Conversation.Attached a) {
                attachments.add(new SessionView.Attachment(
                        e.seq(), a.name(), a.origin(), a.text().length()));
            }
            if (e.payload() instanceof Observation.FileChanged f) {
                files.add(f.path());
            }
            if (e.payload() instanceof Conversation.QuestionAsked q
                    && s.call(q.callId())
                            .filter(c -> c.stage() == SessionState.Stage.ASKED)
                            .isPresent()) {
                question = new SessionView.Question(q.callId(), q.question(), q.options());
            }
            if (e.payload() instanceof Oversight.ApprovalRequested a
                    && s.call(a.callId())
                            .filter(c -> c.stage() == SessionState.Stage.AWAITING_APPROVAL)
                            .isPresent()) {
                approvals.add(new SessionView.Approval(
                        a.callId(), a.tool(), a.arguments(), a.risk().name(), a.reason()));
            }
        }
        List<SessionView.Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < s.artifacts().size(); i++) {
            ArtifactProduced a = s.artifacts().get(i);
            artifacts.add(new SessionView.Artifact(
                    i,
                    a.kind().name(),
                    a.title(),
                    a.mediaType(),
                    a.location(),
                    a.content().length()));
        }
        Optional<SessionQueue.Waiting> waits =
                s.status() == SessionState.Status.RUNNING ? runner.queue().waiting(row.id()) : Optional.empty();
        return new SessionView(
                row.id(),
                row.workspace(),
                row.droid(),
                row.repo(),
                row.title(),
                row.createdBy(),
                row.createdAt(),
                waits.isPresent() ? "queued" : s.status().name().toLowerCase(Locale.ROOT),
                s.outcome().map(o -> o.name().toLowerCase(Locale.ROOT)).orElse(null),
                s.summary(),
                s.lastSeq(),
                new SessionView.Totals(
                        s.totals().promptTokens(),
                        s.totals().completionTokens(),
                        s.totals().costMicros()),
                s.plan(),
                question,
                approvals,
                s.context().map(c -> c.rulesFiles()).orElse(List.of()),
                s.lastMeter().orElse(null),
                List.copyOf(files),
                artifacts,
                audit.sessionRootHash(row.id()).orElse(null),
                s.raisedClassification().orElseGet(() -> settings.classification(row.workspace(), row.repo())),
                attachments,
                waits.map(SessionView.Queued::of).orElse(null));
    }

    private static String firstLine(String task) {
        String l = task.strip().lines().findFirst().orElse("session");
        return l.length() > 120 ? l.substring(0, 117) + "..." : l;
    }
}
