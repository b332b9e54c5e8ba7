package dev.drydock.server.droid;

import dev.drydock.server.agent.CompletionRule;
import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.tool.Args;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.ToolContext;
import java.util.List;
import java.util.Map;

/**
 * The reliability droid's rule: {@code finish} carries a structured RCA (timeline, evidence with
 * file/line, suspected cause, fix proposal); it is rendered to a Markdown artifact with links to the
 * repository files.
 */
public final class RcaCompletion implements CompletionRule {
    private final String repo;
    private final String commit;

    public RcaCompletion(String repo, String commit) {
        this.repo = repo;
        this.commit = commit;
    }

    @Override
    public Completion check(Effect.Finish finish, ToolContext context) {
        Args a = finish.args();
        String cause = a.optString("suspected_cause").orElse("").strip();
        List<Object> timeline = a.list("timeline");
        List<Object> evidence = a.list("evidence");
        if (cause.isEmpty() || evidence.isEmpty()) {
            return new Completion.Refused(
                    "finish refused: an RCA needs 'suspected_cause' and at least one 'evidence' item {file, line, note}.");
        }
        StringBuilder md = new StringBuilder();
        md.append("# Root-cause analysis: ")
                .append(a.optString("title").orElse("incident"))
                .append("\n\n");
        md.append("## Timeline\n\n");
        for (Object t : timeline) {
            if (t instanceof Map<?, ?> m) {
                md.append("- **")
                        .append(m.get("time") == null ? "?" : m.get("time"))
                        .append("** ")
                        .append(m.get("event"))
                        .append('\n');
            } else {
                md.append("- ").append(t).append('\n');
            }
        }
        md.append("\n## Evidence\n\n");
        for (Object e : evidence) {
            if (!(e instanceof Map<?, ?> m) || !(m.get("file") instanceof String file)) {
                return new Completion.Refused(
                        "finish refused: each evidence item must be an object {file, line, note}.");
            }
            String line = m.get("line") == null ? "" : String.valueOf(m.get("line"));
            String link = "repo://" + repo + "/" + file + (commit.isEmpty() ? "" : "?ref=" + commit)
                    + (line.isEmpty() ? "" : "#L" + line);
            md.append("- [")
                    .append(file)
                    .append(line.isEmpty() ? "" : ":" + line)
                    .append("](")
                    .append(link)
                    .append(") — ")
                    .append(m.get("note") == null ? "" : m.get("note"))
                    .append('\n');
        }
        md.append("\n## Suspected cause\n\n").append(cause).append("\n\n");
        md.append("## Fix proposal\n\n")
                .append(a.optString("fix").orElse("(none given)"))
                .append('\n');
        return new Completion.Accepted(
                finish.summary().isBlank() ? cause : finish.summary(),
                List.of(new ArtifactProduced(
                        ArtifactKind.RCA, "Root-cause analysis", "text/markdown", md.toString(), "")));
    }
}
