package dev.drydock.server.agent.event;

/** What the agent does: recorded before it happens, so a crash never loses an intent. */
public sealed interface Action extends Payload {
    /** Run one tool with validated arguments (JSON text) at the risk the policy assessed. */
    record InvokeTool(String callId, String tool, String arguments, Risk risk) implements Action {}

    /** How dangerous an action is, classified by rules and never by the model. */
    enum Risk {
        /** Reads the workspace or indexes only. */
        READ_ONLY,
        /** Changes files in the session's own workspace. */
        WRITES_WORKSPACE,
        /** Reaches the network. */
        NETWORK,
        /**
         * Deletes or rewrites history or much data, or escapes the usual workflow (such as a fact
         * remembered for every later session of the workspace).
         */
        DESTRUCTIVE
    }
}
