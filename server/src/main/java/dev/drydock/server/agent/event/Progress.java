package dev.drydock.server.agent.event;

import java.util.List;

/** What the session knows and produces: context, plan, condensation, artifacts. */
public sealed interface Progress extends Payload {
    /**
     * The context prepared at start: the rendered system prompt, the rules files used (paths, in the
     * order read) with their combined text, and the project overview.
     */
    record ContextPrepared(String systemPrompt, List<String> rulesFiles, String rules, String overview)
            implements Progress {
        public ContextPrepared {
            rulesFiles = List.copyOf(rulesFiles);
        }
    }

    /** The droid's current plan. */
    record PlanUpdated(List<PlanStep> steps) implements Progress {
        public PlanUpdated {
            steps = List.copyOf(steps);
        }
    }

    /** Observations up to and including {@code throughSeq} are shown to the model elided from now on. */
    record HistoryCondensed(long throughSeq, int elided, long tokensSaved) implements Progress {}

    /** A result for the person: a diff, a Markdown document, an RCA. */
    record ArtifactProduced(ArtifactKind kind, String title, String mediaType, String content, String location)
            implements Progress {}

    /** One plan item. */
    record PlanStep(String text, StepStatus status) {}

    /** Status of a plan item. */
    enum StepStatus {
        PENDING,
        IN_PROGRESS,
        DONE
    }

    /** Kinds of artifact. */
    enum ArtifactKind {
        DIFF,
        DOCUMENT,
        RCA,
        BRANCH
    }
}
