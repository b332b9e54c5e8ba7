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
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.workspace.WorkspaceSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Session use cases with their authorisation: viewers of a workspace may read its sessions, members
 * may run and steer them, nobody sees another workspace's sessions (404, as if they did not exist).
 */
@ApplicationScoped
public class SessionService {
    @Inject DataSource ds;
    @Inject EventLog log;
    @Inject SessionRunner runner;
    @Inject DroidProfiles profiles;
    @Inject GitMirrors mirrors;
    @Inject WorkspaceSettings settings;
    @Inject AuditTrail audit;

    private final Clock clock = Clock.systemUTC();

    /** What a person asks for. */
    public record CreateSession(String workspace, String droid, String task, @Nullable String repo, @Nullable String commit, @Nullable String title) {}

    /** Identity of a stored session. */
    record Row(String id, String workspace, String droid, String repo, String title, String createdBy, Instant createdAt) {}

    public SessionView create(Principal who, CreateSession req) {
        if (req.workspace() == null || req.task() == null || req.task().isBlank() || req.droid() == null) {
            throw ProblemException.badRequest("workspace, droid and task are required");
        }
        WorkspaceAccess.require(who, req.workspace(), WorkspaceRole.MEMBER);
        DroidProfile profile = profiles.get(req.droid());
        settings.requireAllowed(req.workspace(), profile.name(), profile.route());
        String repo = req.repo() == null ? "" : req.repo().strip();
        String commit = "";
        if (!repo.isEmpty()) {
            Path mirror = mirrors.mirror(req.workspace(), repo).orElseThrow(() -> ProblemException.badRequest("repository '" + repo + "' is not a repository of workspace '" + req.workspace() + "' (register it there first)"));
            commit = mirrors.resolve(mirror, req.commit() == null || req.commit().isBlank() ? "HEAD" : req.commit());
        } else if (profile.needsRepo()) {
            throw ProblemException.badRequest("the " + profile.name() + " droid needs a repository (repo)");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        String title = req.title() == null || req.title().isBlank() ? firstLine(req.task()) : req.title().strip();
        Sql.update(ds, "insert into droid_session(id, workspace, droid, repo, title, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                id, req.workspace(), profile.name(), repo, title, who.username(), now, now);
        log.append(id.toString(), Source.USER, new Lifecycle.SessionStarted(profile.name(), req.task(), req.workspace(), repo, commit));
        runner.kick(id.toString());
        return view(row(id.toString()).orElseThrow());
    }

    /** What a person may start in a workspace: the allowed droids that exist, and the repositories droids can start from. */
    public record Choices(List<String> droids, List<String> repositories) {}

    /** The choices of the new-session form; readable by anyone who may see the workspace. */
    public Choices choices(Principal who, String workspace) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.VIEWER);
        WorkspaceSettings.Policy policy = settings.policy(workspace);
        List<String> droids = profiles.all().keySet().stream().filter(policy::allowsDroid).sorted().toList();
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
        String where = readable == null ? "" : "where workspace = any (?) ";
        Object[] params = readable == null ? new Object[] {Math.min(500, Math.max(1, limit))} : new Object[] {readable.toArray(String[]::new), Math.min(500, Math.max(1, limit))};
        return Sql.query(ds, "select id::text, workspace, droid, repo, title, created_by, created_at, updated_at, status, outcome, prompt_tokens, completion_tokens, cost_micros "
                        + "from droid_session " + where + "order by created_at desc limit ?",
                rs -> new SessionView.Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), rs.getString(9), rs.getString(10),
                        new SessionView.Totals(rs.getLong(11), rs.getLong(12), rs.getLong(13))),
                params);
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

    public SessionView cancel(Principal who, String id) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        if (state.finished()) {
            throw ProblemException.conflict("the session has already finished (" + state.outcome().map(Enum::name).orElse("") + ")");
        }
        runner.cancel(id, who.username());
        return view(row);
    }

    public SessionView answer(Principal who, String id, @Nullable String callId, String answer) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        SessionState.Call asked = state.calls().stream()
                .filter(c -> c.stage() == SessionState.Stage.ASKED && (callId == null || c.call().id().equals(callId)))
                .findFirst()
                .orElseThrow(() -> ProblemException.conflict("no question is waiting for an answer" + (callId == null ? "" : " with call id " + callId)));
        if (answer == null || answer.isBlank()) {
            throw ProblemException.badRequest("answer is required");
        }
        log.append(id, Source.USER, new Conversation.QuestionAnswered(asked.call().id(), answer.strip()));
        runner.kick(id);
        return view(row);
    }

    public SessionView decide(Principal who, String id, String callId, boolean approve, String reason) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        if (state.call(callId).filter(c -> c.stage() == SessionState.Stage.AWAITING_APPROVAL).isEmpty()) {
            throw ProblemException.conflict("no action with call id " + callId + " is waiting for approval");
        }
        log.append(id, Source.USER, approve ? new Oversight.ActionApproved(callId, who.username()) : new Oversight.ActionDenied(callId, who.username(), reason == null ? "" : reason));
        runner.kick(id);
        return view(row);
    }

    public SessionView resume(Principal who, String id) {
        Row row = authorize(who, id, WorkspaceRole.MEMBER);
        SessionState state = state(id);
        boolean resumable = state.status() == SessionState.Status.INTERRUPTED
                || (state.finished() && state.outcome().filter(o -> o != Outcome.COMPLETED && o != Outcome.CANCELLED).isPresent())
                || (state.status() == SessionState.Status.RUNNING && !runner.isDriving(id));
        if (!resumable) {
            throw ProblemException.conflict("the session is " + state.status().name().toLowerCase(Locale.ROOT) + "; only interrupted sessions and sessions that hit a limit or lost the model can be resumed");
        }
        log.append(id, Source.USER, new Lifecycle.SessionResumed("resumed by " + who.username()));
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

    private SessionState state(String id) {
        return SessionState.fold(log.readAll(id));
    }

    private Row authorize(Principal who, String id, WorkspaceRole needed) {
        Row row = row(id).orElseThrow(() -> ProblemException.notFound("Session " + id));
        WorkspaceRole role = who.roleIn(row.workspace()).orElseThrow(() -> AccessRefused.hidden(who, row.workspace(), "Session " + id));
        if (!role.atLeast(needed)) {
            throw AccessRefused.forbidden(who, row.workspace(), "Session " + id,
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
        return Sql.query(ds, "select id::text, workspace, droid, repo, title, created_by, created_at from droid_session where id = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()),
                uuid).stream().findFirst();
    }

    private SessionView view(Row row) {
        SessionState s = state(row.id());
        SessionView.Question question = null;
        List<SessionView.Approval> approvals = new ArrayList<>();
        java.util.LinkedHashSet<String> files = new java.util.LinkedHashSet<>();
        for (Event e : s.history()) {
            if (e.payload() instanceof Observation.FileChanged f) {
                files.add(f.path());
            }
            if (e.payload() instanceof Conversation.QuestionAsked q && s.call(q.callId()).filter(c -> c.stage() == SessionState.Stage.ASKED).isPresent()) {
                question = new SessionView.Question(q.callId(), q.question(), q.options());
            }
            if (e.payload() instanceof Oversight.ApprovalRequested a && s.call(a.callId()).filter(c -> c.stage() == SessionState.Stage.AWAITING_APPROVAL).isPresent()) {
                approvals.add(new SessionView.Approval(a.callId(), a.tool(), a.arguments(), a.risk().name(), a.reason()));
            }
        }
        List<SessionView.Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < s.artifacts().size(); i++) {
            ArtifactProduced a = s.artifacts().get(i);
            artifacts.add(new SessionView.Artifact(i, a.kind().name(), a.title(), a.mediaType(), a.location(), a.content().length()));
        }
        return new SessionView(row.id(), row.workspace(), row.droid(), row.repo(), row.title(), row.createdBy(), row.createdAt(),
                s.status().name().toLowerCase(Locale.ROOT), s.outcome().map(o -> o.name().toLowerCase(Locale.ROOT)).orElse(null), s.summary(), s.lastSeq(),
                new SessionView.Totals(s.totals().promptTokens(), s.totals().completionTokens(), s.totals().costMicros()), s.plan(), question, approvals,
                s.context().map(c -> c.rulesFiles()).orElse(List.of()), s.lastMeter().orElse(null), List.copyOf(files), artifacts,
                audit.sessionRootHash(row.id()).orElse(null), s.raisedClassification().orElseGet(() -> settings.classification(row.workspace(), row.repo())));
    }

    private static String firstLine(String task) {
        String l = task.strip().lines().findFirst().orElse("session");
        return l.length() > 120 ? l.substring(0, 117) + "..." : l;
    }
}
