package dev.drydock.server.agent.tool;

/** An expected tool failure; the model sees its message as an observation. */
public class ToolFailure extends RuntimeException {
    public ToolFailure(String message) {
        super(message);
    }

    public ToolFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
