package dev.drydock.server.droid;

import dev.drydock.server.agent.Limits;
import java.util.List;

/**
 * One droid as data, read from {@code droids/<name>.yaml}: which tools it gets, its prompt template,
 * limits, model route, completion rule and the schema of its {@code finish} arguments.
 */
public record DroidProfile(
        String name,
        String description,
        String route,
        String promptTemplate,
        List<String> tools,
        Limits limits,
        Completion completion,
        String finishDescription,
        String finishSchema,
        boolean needsRepo) {

    /** How a droid's finish is judged and what it produces. */
    public enum Completion {
        /** Refused while the tests fail; produces a diff and a branch. */
        TEST_GATED,
        /** Produces a Markdown document. */
        DOCUMENT,
        /** Produces a root-cause analysis document. */
        RCA
    }
}
