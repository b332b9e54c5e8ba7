package dev.drydock.server.audit;

import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.eventlog.EventRecorded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Seals what droids do into the audit chain, in the transaction that appends each session event (an
 * event that rolls back leaves no record, and no event commits without its record): session lifecycle,
 * every tool execution (tool, risk, SHA-256 of its arguments and result) and every file an agent
 * read ({@code repo@commit:path:lines} + SHA-256 of the content it was shown).
 */
@ApplicationScoped
public class SessionAuditor {
    @Inject
    AuditTrail trail;

    /** What a session is about, learnt from its {@code SessionStarted} event. */
    private record SessionFacts(String workspace, String repo, String commit) {}

    private final Map<String, SessionFacts> sessions = new ConcurrentHashMap<>();
    private final Map<String, Action.InvokeTool> pending = new ConcurrentHashMap<>();

    /** Called inside the transaction that appends the event: the records commit with it or not at all. */
    void recorded(@Observes EventRecorded recorded) {
        record(recorded.event());
    }

    void record(Event event) {
        String session = event.sessionId();
        SessionFacts facts = sessions.get(session);
        String workspace = facts == null ? null : facts.workspace();
        switch (event.payload()) {
            case Lifecycle.SessionStarted started -> {
                sessions.put(session, new SessionFacts(started.workspace(), started.repo(), started.commit()));
                trail.appendInTransaction(
                        AuditEntry.of("droid:" + started.droid(), "session.started", "session " + session)
                                .inWorkspace(started.workspace())
                                .inSession(session)
                                .with("repo", started.repo())
                                .with("commit", started.commit())
                                .with("taskSha256", AuditRecord.sha256(started.task())));
            }
            case Lifecycle.SessionFinished finished -> {
                trail.appendInTransaction(AuditEntry.of("droid", "session.finished", "session " + session)
                        .inWorkspace(workspace)
                        .inSession(session)
                        .with("outcome", finished.outcome()));
                sessions.remove(session);
            }
            case Lifecycle.SessionInterrupted interrupted ->
                trail.appendInTransaction(AuditEntry.of("system", "session.interrupted", "session " + session)
                        .inWorkspace(workspace)
                        .inSession(session)
                        .with("reason", interrupted.reason()));
            case Lifecycle.SessionResumed resumed ->
                trail.appendInTransaction(AuditEntry.of("system", "session.resumed", "session " + session)
                        .inWorkspace(workspace)
                        .inSession(session)
                        .with("reason", resumed.reason()));
            case Oversight.ActionApproved approved ->
                trail.appendInTransaction(
                        AuditEntry.of(approved.by(), "approval.granted", toolOf(session, approved.callId()))
                                .inWorkspace(workspace)
                                .inSession(session)
                                .with("callId", approved.callId()));
            case Oversight.ActionDenied denied ->
                trail.appendInTransaction(
                        AuditEntry.of(denied.by(), "approval.denied", toolOf(session, denied.callId()))
                                .inWorkspace(workspace)
                                .inSession(session)
                                .with("callId", denied.callId())
                                .with("reason", denied.reason()));
            case Oversight.CancelRequested cancel ->
                trail.appendInTransaction(AuditEntry.of(cancel.by(), "session.cancel-requested", "session " + session)
                        .inWorkspace(workspace)
                        .inSession(session));
            case Action.InvokeTool invoke -> pending.put(session + "/" + invoke.callId(), invoke);
            case Observation.ToolSucceeded ok -> executed(session, facts, ok.callId(), "succeeded", ok.output());
            case Observation.CommandFinished done ->
                executed(
                        session,
                        facts,
                        done.callId(),
                        "exit " + done.exitCode() + (done.timedOut() ? " (timeout)" : ""),
                        done.output());
            case Observation.FileChanged changed ->
                executed(session, facts, changed.callId(), "changed " + changed.path(), changed.diff());
            case Observation.ToolFailed failed -> executed(session, facts, failed.callId(), "failed", failed.error());
            case Observation.ActionRejected rejected ->
                executed(session, facts, rejected.callId(), "rejected by " + rejected.by(), rejected.reason());
            case Telemetry.SetupCompleted setup ->
                trail.append(AuditEntry.of("system", "sandbox.setup", "session " + session)
                        .inWorkspace(workspace)
                        .inSession(session)
                        .with("command", setup.command())
                        .with("origin", setup.origin())
                        .with("mirrors", String.join(",", setup.mirrors()))
                        .with("secrets", String.join(",", setup.secretNames())));
            case Telemetry.MirrorRequested refused
            when !refused.allowed() ->
                trail.append(AuditEntry.of("system", "mirror.refused", refused.target())
                        .inWorkspace(workspace)
                        .inSession(session)
                        .with("method", refused.method())
                        .with("setup", refused.setup()));
            default -> {
                // conversation, plans, meters and usage are in the session log; the audit chain keeps actions and reads
            }
        }
    }

    private String toolOf(String session, String callId) {
        Action.InvokeTool invoke = pending.get(session + "/" + callId);
        return invoke == null ? "call " + callId : invoke.tool();
    }

    private void executed(String session, @Nullable SessionFacts facts, String callId, String outcome, String output) {
        Action.InvokeTool invoke = pending.remove(session + "/" + callId);
        if (invoke == null) {
            return;
        }
        String workspace = facts == null ? null : facts.workspace();
        trail.appendInTransaction(AuditEntry.of("droid", "tool.executed", invoke.tool())
                .inWorkspace(workspace)
                .inSession(session)
                .with("callId", callId)
                .with("risk", invoke.risk())
                .with("outcome", outcome)
                .with("argumentsSha256", AuditRecord.sha256(invoke.arguments()))
                .with("resultSha256", AuditRecord.sha256(output == null ? "" : output)));
        if (invoke.tool().equals("read_file") && outcome.equals("succeeded") && facts != null) {
            trail.appendInTransaction(AuditEntry.of(
                            "droid",
                            "file.read",
                            facts.repo() + "@" + facts.commit() + ":" + fileAndLines(invoke.arguments()))
                    .inWorkspace(workspace)
                    .inSession(session)
                    .with("contentSha256", AuditRecord.sha256(output)));
        }
    }

    /**
     * {@code path:start-end} from read_file's JSON arguments, parsed by the tools' own parser ({@link
     * Args}), so the path recorded is the one the tool read: escapes are decoded as the tool decodes
     * them, nested decoys are not top-level fields, and duplicate fields are refused (the tool fails too).
     */
    static String fileAndLines(String arguments) {
        Args args;
        try {
            args = Args.parse(arguments);
        } catch (RuntimeException e) {
            return "(arguments the tool could not parse: " + e.getMessage() + ")";
        }
        String path = text(args, "path");
        String start = text(args, "start_line");
        String end = text(args, "end_line");
        return path + (start.isEmpty() ? "" : ":" + start + "-" + (end.isEmpty() ? "" : end));
    }

    private static String text(Args args, String name) {
        try {
            return name.equals("path")
                    ? args.optString(name).orElse("")
                    : args.optInt(name).map(String::valueOf).orElse("");
        } catch (RuntimeException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
