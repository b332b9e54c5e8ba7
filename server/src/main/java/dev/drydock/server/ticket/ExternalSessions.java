package dev.drydock.server.ticket;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.session.SessionConfig;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts a session on work that came from outside (a ticket, an alert): the task is text Drydock
 * wrote (the ticket's summary or the alert's name and what to do), everything the outside wrote goes
 * in as the session's attachments, which the droid reads as untrusted data. What is more than a
 * session takes (the attachment limits, {@code drydock.session.max-attachment…}) is folded into the
 * last attachment or cut with a visible note, never refused: the outside cannot shorten its tickets.
 */
@ApplicationScoped
public class ExternalSessions {
    private static final int NAME_CHARS = 200;

    @Inject
    SessionService sessions;

    @Inject
    SessionConfig config;

    public SessionView start(Principal who, SessionService.CreateSession request, List<Ticket.Text> texts) {
        SessionService.CreateSession withAttachments = new SessionService.CreateSession(
                request.workspace(),
                request.droid(),
                request.task(),
                request.repo(),
                request.commit(),
                request.title(),
                attachments(texts, config.maxAttachments(), config.maxAttachmentChars(), config.maxAttachmentsChars()));
        return sessions.create(who, withAttachments);
    }

    /** The texts as attachments within the limits: at most {@code max}, each and all together bounded. */
    static List<SessionService.Attachment> attachments(List<Ticket.Text> texts, int max, int maxChars, int maxTotal) {
        List<Ticket.Text> kept = new ArrayList<>();
        for (Ticket.Text t : texts) {
            if (!t.text().isBlank()) {
                kept.add(t);
            }
        }
        if (kept.size() > max && max > 0) {
            List<Ticket.Text> rest = kept.subList(max - 1, kept.size());
            StringBuilder folded = new StringBuilder();
            for (Ticket.Text t : rest) {
                folded.append("--- ")
                        .append(t.name())
                        .append(" (")
                        .append(t.origin())
                        .append(") ---\n")
                        .append(t.text())
                        .append("\n\n");
            }
            Ticket.Text more =
                    new Ticket.Text(rest.size() + " more texts", rest.getFirst().origin(), folded.toString());
            kept = new ArrayList<>(kept.subList(0, max - 1));
            kept.add(more);
        }
        List<SessionService.Attachment> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long left = maxTotal;
        for (Ticket.Text t : kept) {
            int room = (int) Math.min(maxChars, left);
            if (room < 200) {
                break;
            }
            String text = t.text();
            if (text.length() > room) {
                String note = "\n… (cut: " + text.length() + " characters, " + room + " kept)";
                text = text.substring(0, room - note.length()) + note;
            }
            left -= text.length();
            out.add(new SessionService.Attachment(unique(name(t.name()), names), line(t.origin()), text));
        }
        return out;
    }

    /** An attachment's name: one line, no folders, at most 200 characters. */
    private static String name(String s) {
        String n = line(s).replace('/', '_').replace('\\', '_');
        if (n.isEmpty() || n.equals(".") || n.equals("..")) {
            return "attachment";
        }
        return n;
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) {
            String suffix = " (" + i + ")";
            candidate = (name.length() + suffix.length() > NAME_CHARS
                            ? name.substring(0, NAME_CHARS - suffix.length())
                            : name)
                    + suffix;
        }
        return candidate;
    }

    private static String line(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String one = b.toString().replaceAll("\\s+", " ").strip();
        return one.length() > NAME_CHARS ? one.substring(0, NAME_CHARS) : one;
    }
}
