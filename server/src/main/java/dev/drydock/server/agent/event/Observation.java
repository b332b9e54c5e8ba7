package dev.drydock.server.agent.event;

/**
 * What happened after an action, as the model will see it. Errors, refusals and malformed calls are
 * observations too: the model reads them and recovers.
 */
public sealed interface Observation extends Payload {
    /** The call id of the tool call this observation answers. */
    String callId();

    /** A tool produced text output. */
    record ToolSucceeded(String callId, String output) implements Observation {}

    /** A command ran in the sandbox (run_command, run_tests). {@code exitCode} is -1 when killed. */
    record CommandFinished(String callId, String command, int exitCode, String output, boolean timedOut)
            implements Observation {}

    /** A file changed in the workspace; {@code diff} is a unified diff of the change. */
    record FileChanged(String callId, String path, String diff) implements Observation {}

    /** The tool ran and failed for a reason the model can act on (missing file, ambiguous match). */
    record ToolFailed(String callId, String error) implements Observation {}

    /** The action was not run, or its result was refused. */
    record ActionRejected(String callId, RejectedBy by, String reason) implements Observation {}

    /** The tool call could not be understood: unknown tool, invalid JSON, missing arguments. */
    record FormatRejected(String callId, String reason) implements Observation {}

    /** Who refused an action. */
    enum RejectedBy {
        /** The workspace's autonomy policy. */
        POLICY,
        /** A person denied an approval. */
        USER,
        /** The completion rule: for instance, finish while tests fail. */
        COMPLETION_RULE
    }
}
