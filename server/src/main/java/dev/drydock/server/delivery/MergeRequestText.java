package dev.drydock.server.delivery;

import dev.drydock.server.session.SessionView;
import java.net.URI;

/** The description of a droid's merge request: what changed, how it was tested, where it came from. */
final class MergeRequestText {
    private static final int MAX_FILES = 100;

    private MergeRequestText() {}

    static String description(SessionView session, AgentCommits agent, URI sessionLink, String openedBy) {
        StringBuilder d = new StringBuilder();
        String summary = agent.body().isBlank() ? session.summary() : agent.body();
        d.append("## Summary\n\n")
                .append(summary.isBlank() ? agent.subject() : summary.strip())
                .append("\n\n");
        d.append("## Tests\n\n");
        String command = agent.trailers().get("Drydock-Test-Command");
        if (agent.testsPassed() && command != null) {
            d.append("`").append(command.replace("`", "'")).append("`: passed before the droid finished.\n\n");
        } else {
            d.append(
                    "The tests were **not run** (no test command was detected), so this merge request is a draft.\n\n");
        }
        d.append("## Files changed (").append(agent.files().size()).append(")\n\n");
        agent.files().stream()
                .limit(MAX_FILES)
                .forEach(f -> d.append("- `").append(f.replace("`", "'")).append("`\n"));
        if (agent.files().size() > MAX_FILES) {
            d.append("- … and ").append(agent.files().size() - MAX_FILES).append(" more\n");
        }
        d.append("\n## Provenance\n\n");
        d.append("- Session: [")
                .append(session.id())
                .append("](")
                .append(sessionLink)
                .append(")\n");
        d.append("- Delegated by: ").append(session.createdBy()).append("\n");
        d.append("- Delivered by: ").append(openedBy).append("\n");
        String model = agent.trailers().get("Drydock-Model");
        if (model != null) {
            d.append("- Model route: ").append(model).append("\n");
        }
        String root = agent.trailers().getOrDefault("Drydock-Audit-Root", session.auditRoot());
        if (root != null) {
            d.append("- Audit root: `").append(root).append("` (verify with `./drydock audit verify`)\n");
        }
        d.append("- Commit: ")
                .append(agent.head())
                .append(" on base ")
                .append(agent.base())
                .append("\n");
        return d.toString();
    }
}
