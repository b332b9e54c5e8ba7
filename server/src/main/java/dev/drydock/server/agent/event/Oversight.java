package dev.drydock.server.agent.event;

import dev.drydock.server.agent.event.Action.Risk;

/** A person supervising the session: approvals and cancellation. */
public sealed interface Oversight extends Payload {
    /** The policy wants a person to approve this tool call before it runs; the session pauses. */
    record ApprovalRequested(String callId, String tool, String arguments, Risk risk, String reason)
            implements Oversight {}

    /** A person approved the pending call with this id. */
    record ActionApproved(String callId, String by) implements Oversight {}

    /** A person denied the pending call with this id. */
    record ActionDenied(String callId, String by, String reason) implements Oversight {}

    /** A person asked to stop; the loop ends the session {@code CANCELLED} at its next check. */
    record CancelRequested(String by) implements Oversight {}
}
