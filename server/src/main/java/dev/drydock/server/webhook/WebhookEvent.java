package dev.drydock.server.webhook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a receiver can subscribe to; the name is the {@code X-Drydock-Event} header and the body's {@code event}. */
public enum WebhookEvent {
    /** A session ended (any outcome). */
    SESSION_FINISHED("session.finished"),
    /** A droid waits for a person to approve or deny an action. */
    APPROVAL_NEEDED("approval.needed"),
    /** A session's merge request was opened on the git server. */
    MERGE_REQUEST_OPENED("merge-request.opened"),
    /** A reliability session started by an alert wrote its root-cause analysis. */
    INCIDENT_RCA("incident.rca"),
    /** Sent on request, to check a receiver's setup. */
    PING("ping");

    private final String wireName;

    WebhookEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEvent> parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.wireName.equals(n)).findFirst();
    }
}
