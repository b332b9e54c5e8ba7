package dev.drydock.server.delivery;

import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Which branches a droid's work may be pushed to: only {@code drydock/*} branches, never the
 * repository's default branch, never a branch matching one of the repository's protected globs. The
 * server decides this before any connection to the git server is opened.
 */
public record BranchPolicy(String defaultBranch, List<String> protectedGlobs) {
    static final String PREFIX = "drydock/";

    public BranchPolicy {
        protectedGlobs = List.copyOf(protectedGlobs);
    }

    /** Parses a comma-separated list of globs ({@code release/*, main}). */
    public static List<String> parseGlobs(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::strip)
                .filter(g -> !g.isEmpty())
                .toList();
    }

    /** The branch name, or a 422 problem saying why a push there is refused. */
    public String check(String branch) {
        if (!branch.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}")
                || branch.contains("..")
                || branch.endsWith("/")
                || branch.endsWith(".lock")) {
            throw ProblemException.badRequest("branch '" + branch + "' is not a valid branch name");
        }
        if (!branch.startsWith(PREFIX) || branch.length() == PREFIX.length()) {
            throw refused(branch, "droids push only to drydock/* branches");
        }
        if (branch.equals(defaultBranch)) {
            throw refused(branch, "it is the repository's default branch");
        }
        for (String glob : protectedGlobs) {
            if (glob.equals(branch)
                    || FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(branch))) {
                throw refused(branch, "it matches the protected branch pattern '" + glob + "'");
            }
        }
        return branch;
    }

    private static ProblemException refused(String branch, String why) {
        return new ProblemException(Problem.of(
                422, "push-refused", "Push refused", "Drydock does not push to branch '" + branch + "': " + why + "."));
    }
}
