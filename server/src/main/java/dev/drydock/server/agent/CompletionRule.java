package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.ToolContext;
import java.util.List;

/**
 * Decides whether a droid's {@code finish} is accepted and what it produces. The code droid refuses
 * while the tests fail; the knowledge and reliability droids turn the arguments into documents.
 */
public interface CompletionRule {
    Completion check(Effect.Finish finish, ToolContext context);

    /** The decision. */
    sealed interface Completion {
        /** Finished: the artifacts are recorded, then the session ends {@code COMPLETED}. */
        record Accepted(String summary, List<ArtifactProduced> artifacts) implements Completion {}

        /** Not finished: the reason goes to the model, which continues. */
        record Refused(String reason) implements Completion {}
    }

    /** Accepts every finish and produces nothing. */
    static CompletionRule acceptAll() {
        return (finish, context) -> new Completion.Accepted(finish.summary(), List.of());
    }
}
