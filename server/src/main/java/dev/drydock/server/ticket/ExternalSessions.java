package dev.drydock.server.ticket;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a session on work that came from outside (a ticket, an alert): the task is text Drydock
 * wrote (the ticket's summary or the alert's name and what to do), everything the outside wrote goes
 * in as the session's attachments, which the droid sees as untrusted text.
 */
@ApplicationScoped
public class ExternalSessions {
    /** At most this many attachments per session, each at most {@link #MAX_TEXT_CHARS}. */
    public static final int MAX_ATTACHMENTS = 20;

    public static final int MAX_TEXT_CHARS = 64_000;

    @Inject
    SessionService sessions;

    public SessionView start(Principal who, SessionService.CreateSession request, List<Ticket.Text> attachments) {
        List<Ticket.Text> bounded = new ArrayList<>();
        for (Ticket.Text t : attachments) {
            if (bounded.size() == MAX_ATTACHMENTS) {
                break;
            }
            String text = t.text().length() > MAX_TEXT_CHARS ? t.text().substring(0, MAX_TEXT_CHARS) + "…" : t.text();
            bounded.add(new Ticket.Text(abbreviate(t.name(), 200), abbreviate(t.origin(), 200), text));
        }
        return sessions.create(who, request);
    }

    private static String abbreviate(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > max ? one.substring(0, max) : one;
    }
}
