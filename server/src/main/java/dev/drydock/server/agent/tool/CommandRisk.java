package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/**
 * Classifies a shell command line by rules, never by the model. The line is parsed as {@code sh}
 * parses it ({@link ShellParser}); every simple command in it, including those inside {@code $(…)},
 * backticks, subshells, {@code sh -c '…'}, {@code eval}, {@code find -exec}, {@code xargs} and
 * wrappers such as {@code env}, {@code timeout} or {@code nice}, is classified, and the riskiest wins.
 *
 * <p>It fails closed: a line it cannot parse, a program name that is only known when the line runs
 * ({@code $X}, {@code $(…)}, globs), code in another language ({@code python -c}, {@code awk} with
 * {@code system()}, {@code sed} with {@code e}), {@code source}, function definitions and
 * {@code git -c} are {@link Risk#DESTRUCTIVE}, the top of the scale, and so is a line too long or
 * too convoluted to follow. Network programs ({@code curl}, {@code git push}, package installs,
 * bash's {@code /dev/tcp}) are {@link Risk#NETWORK}. Writes go by their target:
 * inside the workspace {@link Risk#WRITES_WORKSPACE}; outside it (absolute paths other than
 * {@code /dev/null}, {@code ..} escapes, {@code ~}, after {@code cd} out of it), into {@code .git/},
 * or to a path only known at run time {@link Risk#DESTRUCTIVE}. Programs it does not know, and
 * scripts and builds from the workspace (tests, {@code make}, {@code python3 x.py}), count as writing
 * the workspace, as {@link Autonomy#AUTO_EDIT} intends, unless their arguments name a riskier command
 * they may run ({@code strace curl …}, {@code poetry run …}).
 */
public final class CommandRisk {
    /** Longer lines are not read (and fail closed); no agent writes a command line of a mebibyte. */
    private static final int MAX_LENGTH = 1 << 20;

    private CommandRisk() {}

    /** The risk of running {@code commandLine} with {@code sh -c}. */
    public static Risk classify(String commandLine) {
        if (commandLine.isBlank()) {
            return Risk.READ_ONLY;
        }
        if (commandLine.length() > MAX_LENGTH) {
            return Risk.DESTRUCTIVE;
        }
        try {
            return new CommandClassifier().text(commandLine);
        } catch (RuntimeException e) {
            // Fail closed: a line the rules cannot follow is as risky as a line can be.
            return Risk.DESTRUCTIVE;
        }
    }
}
