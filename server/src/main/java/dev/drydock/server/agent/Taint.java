package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Progress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Prompt-injection taint: the first event that put text from an untrusted source into the model's
 * context (text attached to the session, such as a pasted ticket or an alert; repository rules
 * files and the project overview, which are repository files and remembered facts; the output of any tool that reads files, runs commands or searches). From then
 * on, actions that can exfiltrate or persist ({@link Risk#NETWORK}: network commands, pushes;
 * {@link Risk#DESTRUCTIVE}: writes outside the workspace, workspace-wide memories, history
 * rewrites) need a person's approval whatever the autonomy level. Derived from the log alone, so a
 * replay reaches the same decisions. Text a person wrote (the task, messages, answers) and the
 * runtime's own refusals are trusted.
 */
public final class Taint {
    /** Tools whose output is the droid's own words or the runtime's, never outside text. */
    static final Set<String> TRUSTED_OUTPUT = Set.of("finish", "update_plan", "ask_user", "remember");

    /** Where the untrusted text came from: the event that brought it in, and what it was. */
    public record Source(long seq, String description) {
        /** The sentence an approval card shows. */
        public String sentence() {
            return "the context is tainted by " + description + " (event " + seq + ")";
        }
    }

    private final Map<String, String> toolOfCall = new HashMap<>();
    private final Map<String, String> callOf = new HashMap<>();
    private int seen;
    private @Nullable Source source;

    /** Whether actions of this risk need a person once the context is tainted. */
    public static boolean guarded(Risk risk) {
        return risk == Risk.NETWORK || risk == Risk.DESTRUCTIVE;
    }

    /** The taint after the events of {@code history} not seen yet (a history only grows). */
    public Optional<Source> update(List<Event> history) {
        if (history.size() < seen) {
            seen = 0;
            source = null;
            toolOfCall.clear();
            callOf.clear();
        }
        for (int i = seen; i < history.size() && source == null; i++) {
            source = untrusted(history.get(i));
        }
        seen = history.size();
        return Optional.ofNullable(source);
    }

    /** The taint of a whole history. */
    public static Optional<Source> of(List<Event> history) {
        return new Taint().update(history);
    }

    private @Nullable Source untrusted(Event e) {
        switch (e.payload()) {
            case Progress.ContextPrepared c -> {
                if (!c.rules().isBlank()) {
                    return new Source(
                            e.seq(), "the repository's rules files (" + String.join(", ", c.rulesFiles()) + ")");
                }
                if (!c.overview().isBlank()) {
                    return new Source(e.seq(), "the project overview (repository files and remembered facts)");
                }
                return null;
            }
            case Conversation.Attached a -> {
                return new Source(e.seq(), "the attachment \"" + a.name() + "\" (" + a.origin() + ")");
            }
            case Conversation.ModelReplied r -> {
                r.calls().forEach(c -> {
                    toolOfCall.put(c.id(), c.tool());
                    callOf.put(c.id(), c.tool() + " " + abbreviate(c.arguments()));
                });
                return null;
            }
            case Observation.ActionRejected r -> {
                return null;
            }
            case Observation.FormatRejected f -> {
                return null;
            }
            case Observation o -> {
                String tool = toolOfCall.getOrDefault(o.callId(), "");
                if (TRUSTED_OUTPUT.contains(tool)) {
                    return null;
                }
                String what = switch (o) {
                    case Observation.CommandFinished c -> "the output of `" + abbreviate(c.command()) + "`";
                    case Observation.FileChanged f -> "the repository file " + f.path();
                    default -> "the output of " + callOf.getOrDefault(o.callId(), "a tool");
                };
                return new Source(e.seq(), what);
            }
            default -> {
                return null;
            }
        }
    }

    private static String abbreviate(String s) {
        String line = s.strip().replace('\n', ' ');
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
