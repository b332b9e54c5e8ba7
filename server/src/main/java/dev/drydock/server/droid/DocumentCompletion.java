package dev.drydock.server.droid;

import dev.drydock.server.agent.CompletionRule;
import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.ToolContext;
import java.util.List;

/** The knowledge droid's rule: {@code finish} must carry a Markdown document, which becomes the artifact. */
public final class DocumentCompletion implements CompletionRule {
    @Override
    public Completion check(Effect.Finish finish, ToolContext context) {
        String doc = finish.args().optString("document").orElse("").strip();
        if (doc.length() < 20) {
            return new Completion.Refused("finish refused: give the answer as a Markdown document in 'document' (with file references as path:line).");
        }
        String title = finish.args().optString("title").orElse("Answer");
        return new Completion.Accepted(finish.summary().isBlank() ? title : finish.summary(),
                List.of(new ArtifactProduced(ArtifactKind.DOCUMENT, title, "text/markdown", doc, "")));
    }
}
