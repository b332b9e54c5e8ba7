package dev.drydock.server.agent.event;

/**
 * What an event says. Consumers switch over it exhaustively, without {@code default}, so that adding
 * a type makes the compiler list every place to update.
 */
public sealed interface Payload
        permits Lifecycle, Conversation, Action, Observation, Oversight, Progress, Telemetry, Unknown {}
