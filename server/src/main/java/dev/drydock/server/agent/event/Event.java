package dev.drydock.server.agent.event;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One immutable fact in a session's history. Identity ({@code sessionId}, {@code seq}) is assigned
 * by the event log at append time and never changes.
 *
 * @param sessionId the session the event belongs to
 * @param seq 1-based position in the session's log; unique and gap-free per session
 * @param at when the log recorded it
 * @param source who caused it
 * @param causedBy the seq of the event this one answers (observation → action), if any
 * @param payload what happened
 */
public record Event(
        String sessionId,
        long seq,
        Instant at,
        Source source,
        @Nullable Long causedBy,
        Payload payload) {}
