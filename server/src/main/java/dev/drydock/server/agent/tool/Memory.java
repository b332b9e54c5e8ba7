package dev.drydock.server.agent.tool;

import java.util.List;

/**
 * Facts a droid keeps for later sessions, scoped to the repository or the whole workspace. What a
 * droid remembers enters later sessions' prompts, so the store keeps each fact's classification (that
 * of the session that wrote it) and recalls only what the recalling session is cleared for.
 */
public interface Memory {
    void remember(Scope scope, String text);

    /**
     * What is remembered for this session's repository and workspace and at or below its
     * classification: newest first, and bounded (a few dozen short facts at most).
     */
    List<String> recall();

    /** Memory scopes. */
    enum Scope {
        REPO,
        WORKSPACE
    }

    /** A memory that forgets: for sessions without persistence. */
    static Memory none() {
        return new Memory() {
            @Override
            public void remember(Scope scope, String text) {}

            @Override
            public List<String> recall() {
                return List.of();
            }
        };
    }
}
