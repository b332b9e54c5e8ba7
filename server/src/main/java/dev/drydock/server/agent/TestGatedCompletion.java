package dev.drydock.server.agent;

import dev.drydock.server.agent.event.Progress.ArtifactKind;
import dev.drydock.server.agent.event.Progress.ArtifactProduced;
import dev.drydock.server.agent.tool.Effect;
import dev.drydock.server.agent.tool.TestCommand;
import dev.drydock.server.agent.tool.ToolContext;
import dev.drydock.server.agent.tool.Workspace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The code droid's completion rule: {@code finish} is refused while the repository's test command
 * fails (or when nothing changed); once accepted, the workspace diff becomes an artifact and a branch
 * with one commit is published in the server's git mirror.
 */
public final class TestGatedCompletion implements CompletionRule {
    static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final int TAIL = 4000;

    /**
     * Publishes a diff as a branch with one commit; returns the branch location (empty: not
     * published). {@code testCommand} is empty when no test command was detected, and then the tests
     * were not run.
     */
    public interface BranchPublisher {
        Optional<String> publish(String sessionId, String diff, String message, String testCommand);
    }

    private final BranchPublisher publisher;

    public TestGatedCompletion(BranchPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Completion check(Effect.Finish finish, ToolContext context) {
        TestCommand test = context.testCommand();
        String diff = context.workspace().diff();
        if (test.isPresent()) {
            Workspace.CommandResult r = context.workspace().run(test.command(), TIMEOUT);
            if (r.exitCode() != 0) {
                String out = r.output();
                java.util.Optional<dev.drydock.server.agent.tool.BuildEnvironmentProblem> problem = r.timedOut()
                        ? java.util.Optional.empty()
                        : dev.drydock.server.agent.tool.BuildEnvironmentProblem.in(r.exitCode(), out);
                if (problem.isPresent()) {
                    return new Completion.Refused("finish refused: the tests could not run (`" + test.command()
                            + "` exit=" + r.exitCode() + "). " + problem.get().explanation() + "\nOutput (tail):\n"
                            + out.substring(Math.max(0, out.length() - TAIL)));
                }
                return new Completion.Refused("finish refused: the tests fail (`" + test.command() + "` "
                        + (r.timedOut() ? "timed out" : "exit=" + r.exitCode())
                        + "). Fix them, then finish again. Output (tail):\n"
                        + out.substring(Math.max(0, out.length() - TAIL)));
            }
        }
        if (diff.isBlank()) {
            return new Completion.Refused(
                    "finish refused: the workspace has no change. Make the change first (edit_file), then run_tests.");
        }
        String summary = finish.summary().isBlank() ? "Change made; tests pass." : finish.summary();
        List<ArtifactProduced> artifacts = new ArrayList<>();
        artifacts.add(new ArtifactProduced(ArtifactKind.DIFF, "Changes", "text/x-diff", diff, ""));
        publisher
                .publish(context.sessionId(), diff, summary, test.isPresent() ? test.command() : "")
                .ifPresent(branch -> artifacts.add(
                        new ArtifactProduced(ArtifactKind.BRANCH, "Branch", "text/plain", branch, branch)));
        return new Completion.Accepted(
                summary
                        + (test.isPresent()
                                ? "\n\nTests pass: `" + test.command() + "`."
                                : "\n\nNo test command was detected."),
                artifacts);
    }
}
