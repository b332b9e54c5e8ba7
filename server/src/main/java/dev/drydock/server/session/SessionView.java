package dev.drydock.server.session;

import dev.drydock.server.agent.event.Progress.PlanStep;
import dev.drydock.server.agent.event.Telemetry.ContextMeasured;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A session as the API returns it: identity plus the fold of its log. {@code files} are the paths the
 * droid changed, in the order first touched; {@code auditRoot} is the hash of its newest audit record,
 * which {@code ./drydock audit verify} checks and its branch's commit carries; {@code classification}
 * is the highest label of what the session's models have been sent so far (at least its workspace's
 * and repository's). {@code attachments} are the texts given with the task (pasted tickets, logs,
 * files, what an integration brought). {@code queue} is set while the session waits for a sandbox
 * (status {@code queued}).
 */
public record SessionView(
        String id,
        String workspace,
        String droid,
        String repo,
        String title,
        String createdBy,
        Instant createdAt,
        String status,
        @Nullable String outcome,
        String summary,
        long lastSeq,
        Totals totals,
        List<PlanStep> plan,
        @Nullable Question question,
        List<Approval> approvals,
        List<String> rulesFiles,
        @Nullable ContextMeasured context,
        List<String> files,
        List<Artifact> artifacts,
        @Nullable String auditRoot,
        String classification,
        List<Attachment> attachments,
        @Nullable Queued queue) {

    /** A text attached when the session started (its content is the event at {@code seq}). */
    public record Attachment(long seq, String name, String origin, int chars) {}

    /**
     * Where a session waiting for a sandbox is (status {@code queued}): its place in the shared queue (1 =
     * next), why it waits, since when, and its priority ({@code low}, {@code normal}, {@code high}).
     */
    public record Queued(int position, String reason, Instant since, String priority) {
        static Queued of(SessionQueue.Waiting w) {
            return new Queued(w.position(), w.reason(), w.since(), w.priority().label());
        }
    }

    /** Token and cost totals. */
    public record Totals(long promptTokens, long completionTokens, long costMicros) {}

    /** The question waiting for an answer. */
    public record Question(String callId, String question, List<String> options) {}

    /** A tool call waiting for approval. */
    public record Approval(String callId, String tool, String arguments, String risk, String reason) {}

    /** An artifact (the content is in {@code /artifacts}). */
    public record Artifact(int index, String kind, String title, String mediaType, String location, int size) {}

    /** A line of the session list (from the listing projection). */
    public record Summary(
            String id,
            String workspace,
            String droid,
            String repo,
            String title,
            String createdBy,
            Instant createdAt,
            Instant updatedAt,
            String status,
            @Nullable String outcome,
            Totals totals,
            @Nullable Integer queuePosition) {}
}
