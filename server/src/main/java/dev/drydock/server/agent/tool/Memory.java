package dev.drydock.server.agent.tool;

import java.util.List;

/** Facts a droid keeps for later sessions, scoped to the repository or the whole workspace. */
public interface Memory {
    void remember(Scope scope, String text);

    /** Everything remembered for this session's repository and workspace, oldest first. */
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
