package dev.drydock.server.agent.tool;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a failing test run caused by the build environment (a dependency that cannot be resolved, a
 * missing tool or toolchain, no network) from failing tests, by the build tools' own messages, so the
 * test gate does not ask the droid to fix code that is not broken. Deterministic: only the output and
 * exit status matter.
 *
 * @param kind what is wrong: {@code dependency-resolution}, {@code missing-tool} or {@code network}
 * @param evidence the output line that shows it
 */
public record BuildEnvironmentProblem(String kind, String evidence) {
    private record Rule(String kind, Pattern pattern) {}

    private static final List<Rule> RULES = List.of(
            // Maven
            new Rule(
                    "dependency-resolution",
                    Pattern.compile(
                            "(?m)^.*(Could not resolve dependencies|Non-resolvable (parent|import) POM|could not be resolved: |Cannot access \\S+ \\(\\S+\\) in offline mode|Could not create local repository|Could not transfer artifact|Unresolveable build extension).*$")),
            new Rule(
                    "dependency-resolution",
                    Pattern.compile("(?m)^.*Plugin \\S+ or one of its dependencies could not be resolved.*$")),
            // Gradle
            new Rule(
                    "dependency-resolution",
                    Pattern.compile(
                            "(?m)^.*(Could not resolve all (files|dependencies|artifacts)|No cached version of \\S+ available for offline mode).*$")),
            // npm and pip
            new Rule(
                    "network",
                    Pattern.compile(
                            "(?m)^.*npm (ERR!|error) code (ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|E401|E403|E404).*$")),
            new Rule(
                    "dependency-resolution",
                    Pattern.compile(
                            "(?m)^.*(No matching distribution found for|Could not find a version that satisfies the requirement).*$")),
            // Go
            new Rule(
                    "dependency-resolution",
                    Pattern.compile(
                            "(?m)^.*(missing go\\.sum entry|module lookup disabled by GOPROXY|cannot find module providing package|go: \\S+@\\S+: (reading|Get) \\S+|verifying \\S+: checksum mismatch).*$")),
            // tools and toolchains
            new Rule(
                    "missing-tool",
                    Pattern.compile(
                            "(?m)^.*(: command not found|^sh: \\d+: \\S+: not found|JAVA_HOME (is not defined correctly|environment variable is not defined)|No compiler is provided in this environment).*$")));

    /** The environment problem the output shows, if the command failed because of one. */
    public static Optional<BuildEnvironmentProblem> in(int exitCode, String output) {
        if (exitCode == 0) {
            return Optional.empty();
        }
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(output);
            if (m.find()) {
                String line = m.group().strip();
                return Optional.of(new BuildEnvironmentProblem(
                        r.kind(), line.length() > 400 ? line.substring(0, 400) + "…" : line));
            }
        }
        return exitCode == 127
                ? Optional.of(new BuildEnvironmentProblem("missing-tool", "exit 127: the command was not found"))
                : Optional.empty();
    }

    /** What the droid is told: not a failing test, and what to do instead. */
    public String explanation() {
        return "This is a build environment problem (" + kind + "), not a failing test: " + evidence
                + "\nDo not change the code to work around it. Tell the person with ask_user what is missing "
                + "(a dependency the repository managers do not have, a toolchain to install, or a mirror to allow).";
    }
}
