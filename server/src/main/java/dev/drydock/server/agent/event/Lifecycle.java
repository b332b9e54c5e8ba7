package dev.drydock.server.agent.event;

/** A session starts, is interrupted, resumes or finishes. */
public sealed interface Lifecycle extends Payload {
    /** The task was delegated. {@code repo} is empty when the droid works without a repository. */
    record SessionStarted(String droid, String task, String workspace, String repo, String commit)
            implements Lifecycle {}

    /** The runtime stopped driving the session (server restart, crash); it can be resumed. */
    record SessionInterrupted(String reason) implements Lifecycle {}

    /** Driving continues after an interruption or after a pause for a person. */
    record SessionResumed(String reason) implements Lifecycle {}

    /** Terminal: nothing is appended after this except by a resume. */
    record SessionFinished(Outcome outcome, String summary) implements Lifecycle {}

    /** How a session ended. */
    enum Outcome {
        /** The droid finished and its completion rule accepted the result. */
        COMPLETED,
        /** A step, token or wall-clock limit was reached. */
        LIMIT_REACHED,
        /** A person cancelled it. */
        CANCELLED,
        /** The model endpoint could not be reached after retries. */
        MODEL_UNAVAILABLE,
        /** A bug: an unexpected exception in the runtime (the summary carries an error id). */
        FAILED
    }
}
