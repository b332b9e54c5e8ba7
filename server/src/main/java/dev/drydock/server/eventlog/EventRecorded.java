package dev.drydock.server.eventlog;

import dev.drydock.server.agent.event.Event;

/**
 * A CDI event fired inside the transaction that appends {@code event} to the log, before it
 * commits. Observers (the audit side) write in that same transaction: what they write commits with
 * the event or not at all, and an observer that throws rolls the event back. Live subscribers get
 * committed events through {@link EventBus} instead.
 */
public record EventRecorded(Event event) {}
