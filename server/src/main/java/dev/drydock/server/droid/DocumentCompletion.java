package dev.drydock.server.droid;

import dev.drydock.server.agent.CompletionRule;
import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.ToolContext;
import java.util.List;

/**
 * The knowledge droid's rule: {@code finish} must carry a document, which becomes the artifact:
 * Markdown, or an HTML page or SVG picture when the document is one (it starts with {@code <!doctype
 * html>}, {@code <html} or {@code <svg}); the portal shows those in a sandboxed frame.
 */
public final class DocumentCompletion implements CompletionRule {
    @Override
    public Completion check(Effect.Finish finish, ToolContext context) {
        String doc = finish.args().optString("document").orElse("").strip();
        if (doc.length() < 20) {
            return new Completion.Refused(
                    "finish refused: give the answer as a Markdown document in 'document' (with file references as path:line).");
        }
        String title = finish.args().optString("title").orElse("Answer");
        return new Completion.Accepted(
                finish.summary().isBlank() ? title : finish.summary(),
                List.of(new ArtifactProduced(ArtifactKind.DOCUMENT, title, mediaType(doc), doc, "")));
    }

    /** {@code image/svg+xml}, {@code text/html} or {@code text/markdown}, by how the document starts. */
    static String mediaType(String doc) {
        String head = doc.substring(0, Math.min(doc.length(), 200)).toLowerCase(java.util.Locale.ROOT);
        if (head.startsWith("<?xml") && head.contains("<svg") || head.startsWith("<svg")) {
            return "image/svg+xml";
        }
        return head.startsWith("<!doctype html") || head.startsWith("<html") ? "text/html" : "text/markdown";
    }
}
