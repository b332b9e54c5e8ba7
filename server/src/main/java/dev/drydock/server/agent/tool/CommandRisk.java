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
 * {@code git -c} are {@link Risk#DESTRUCTIVE}, the top of the scale. Writes go by their target:
 * inside the workspace {@link Risk#WRITES_WORKSPACE}; outside it (absolute paths other than
 * {@code /dev/null}, {@code ..} escapes, {@code ~}, after {@code cd} out of it), into {@code .git/},
 * or to a path only known at run time {@link Risk#DESTRUCTIVE}. Programs it does not know, and
 * scripts and builds from the workspace (tests, {@code make}, {@code python3 x.py}), count as writing
 * the workspace, as {@link Autonomy#AUTO_EDIT} intends.
 */
public final class CommandRisk {
    private CommandRisk() {}

    /** The risk of running {@code commandLine} with {@code sh -c}. */
    public static Risk classify(String commandLine) {
        if (commandLine.isBlank()) {
            return Risk.READ_ONLY;
        }
        try {
            return new CommandClassifier(0).text(commandLine);
        } catch (RuntimeException e) {
            // Fail closed: a line the rules cannot follow is as risky as a line can be.
            return Risk.DESTRUCTIVE;
        }
    }
}
