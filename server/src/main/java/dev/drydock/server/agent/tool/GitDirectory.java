package dev.drydock.server.agent.tool;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The repository's {@code .git} folders are not files to edit: a droid that writes {@code
 * .git/config} or {@code .git/hooks/*} makes later git commands, even read-only ones such as {@code
 * git status} or {@code git diff}, run what it wrote. The file tools refuse such paths.
 */
final class GitDirectory {
    private static final Pattern SEGMENTS = Pattern.compile("[/\\\\]+");

    private GitDirectory() {}

    /** Whether {@code path} is a {@code .git} folder or inside one (at any depth, as submodules have them). */
    static boolean contains(String path) {
        for (String segment : SEGMENTS.split(path.strip())) {
            if (segment.toLowerCase(Locale.ROOT).equals(".git")) {
                return true;
            }
        }
        return false;
    }

    /** Throws a {@link ToolFailure} the model reads when {@code path} is in a {@code .git} folder. */
    static void refuseWrite(String path) {
        if (contains(path)) {
            throw new ToolFailure(
                    path
                            + " is inside the repository's .git folder, which the file tools do not write (git would run what is written there); use git commands through run_command");
        }
    }
}
