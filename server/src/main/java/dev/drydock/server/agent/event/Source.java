package dev.drydock.server.agent.event;

/** Who caused an event. */
public enum Source {
    /** A person, through the API. */
    USER,
    /** The model, through the loop. */
    AGENT,
    /** Tools and the sandbox. */
    ENVIRONMENT,
    /** The runtime itself: lifecycle, limits, policy, telemetry. */
    SYSTEM
}
