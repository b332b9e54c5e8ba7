package dev.drydock.server.audit;

import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.eventlog.EventBus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals what droids do into the audit chain, from the committed session events: session lifecycle,
 * every tool execution (tool, risk, SHA-256 of its arguments and result) and every file an agent
 * read ({@code repo@commit:path:lines} + SHA-256 of the content it was shown).
 */
@ApplicationScoped
public class SessionAuditor {
    @Inject EventBus bus;
    @Inject AuditTrail trail;

    /** What a session is about, learnt from its {@code SessionStarted} event. */
    private record SessionFacts(String workspace, String repo, String commit) {}

    private final Map<String, SessionFacts> sessions = new ConcurrentHashMap<>();
    private final Map<String, Action.InvokeTool> pending = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event) {
        bus.subscribeAll(this::record);
    }

    void record(Event event) {
        String session = event.sessionId();
        SessionFacts facts = sessions.get(session);
        String workspace = facts == null ? null : facts.workspace();
        switch (event.payload()) {
            case Lifecycle.SessionStarted started -> {
                sessions.put(session, new SessionFacts(started.workspace(), started.repo(), started.commit()));
                trail.append(AuditEntry.of("droid:" + started.droid(), "session.started", "session " + session)
                        .inWorkspace(started.workspace()).inSession(session)
                        .with("repo", started.repo()).with("commit", started.commit()).with("taskSha256", AuditRecord.sha256(started.task())));
            }
            case Lifecycle.SessionFinished finished -> {
                trail.append(AuditEntry.of("droid", "session.finished", "session " + session).inWorkspace(workspace).inSession(session)
                        .with("outcome", finished.outcome()));
                sessions.remove(session);
            }
            case Lifecycle.SessionInterrupted interrupted ->
                    trail.append(AuditEntry.of("system", "session.interrupted", "session " + session).inWorkspace(workspace).inSession(session)
                            .with("reason", interrupted.reason()));
            case Lifecycle.SessionResumed resumed ->
                    trail.append(AuditEntry.of("system", "session.resumed", "session " + session).inWorkspace(workspace).inSession(session)
                            .with("reason", resumed.reason()));
            case Action.InvokeTool invoke -> pending.put(session + "/" + invoke.callId(), invoke);
            case Observation.ToolSucceeded ok -> executed(session, facts, ok.callId(), "succeeded", ok.output());
            case Observation.CommandFinished done -> executed(session, facts, done.callId(), "exit " + done.exitCode() + (done.timedOut() ? " (timeout)" : ""), done.output());
            case Observation.FileChanged changed -> executed(session, facts, changed.callId(), "changed " + changed.path(), changed.diff());
            case Observation.ToolFailed failed -> executed(session, facts, failed.callId(), "failed", failed.error());
            case Observation.ActionRejected rejected -> executed(session, facts, rejected.callId(), "rejected by " + rejected.by(), rejected.reason());
            default -> {
                // conversation, plans, meters and usage are in the session log; the audit chain keeps actions and reads
            }
        }
    }

    private void executed(String session, SessionFacts facts, String callId, String outcome, String output) {
        Action.InvokeTool invoke = pending.remove(session + "/" + callId);
        if (invoke == null) {
            return;
        }
        String workspace = facts == null ? null : facts.workspace();
        trail.append(AuditEntry.of("droid", "tool.executed", invoke.tool()).inWorkspace(workspace).inSession(session)
                .with("callId", callId).with("risk", invoke.risk()).with("outcome", outcome)
                .with("argumentsSha256", AuditRecord.sha256(invoke.arguments())).with("resultSha256", AuditRecord.sha256(output == null ? "" : output)));
        if (invoke.tool().equals("read_file") && outcome.equals("succeeded") && facts != null) {
            trail.append(AuditEntry.of("droid", "file.read", facts.repo() + "@" + facts.commit() + ":" + fileAndLines(invoke.arguments()))
                    .inWorkspace(workspace).inSession(session).with("contentSha256", AuditRecord.sha256(output)));
        }
    }

    /** {@code path:start-end} from read_file's JSON arguments, without a JSON library (the agent package owns the schema). */
    static String fileAndLines(String arguments) {
        String path = field(arguments, "path");
        String start = field(arguments, "start_line");
        String end = field(arguments, "end_line");
        return path + (start.isEmpty() ? "" : ":" + start + "-" + (end.isEmpty() ? "" : end));
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))").matcher(json);
        return m.find() ? (m.group(2) != null ? m.group(2) : m.group(3)) : "";
    }
}
