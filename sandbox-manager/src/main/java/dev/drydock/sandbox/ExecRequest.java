package dev.drydock.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One command to run in a sandbox.
 *
 * @param command argv; no shell is involved unless argv[0] is one
 * @param cwd working directory relative to the workspace root ({@code .} for the root)
 * @param env variables added to the sandbox's clean environment
 * @param timeout wall-clock limit; on expiry the whole process tree is killed
 * @param stdin bytes written to the command's standard input, which is then closed (empty: closed at
 *     once)
 */
public record ExecRequest(List<String> command, String cwd, Map<String, String> env, Duration timeout, byte[] stdin) {
    /** Largest total size of argv, in bytes. */
    public static final int MAX_COMMAND_BYTES = 128 * 1024;
    /** Largest total size of the environment ({@code KEY=VALUE} pairs), in bytes. */
    public static final int MAX_ENV_BYTES = 64 * 1024;
    /** Largest stdin payload, in bytes. */
    public static final int MAX_STDIN_BYTES = 16 * 1024 * 1024;
    /** Longest allowed timeout. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(6);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ExecRequest {
        if (command == null || command.isEmpty()) {
            throw new InvalidSpecException("command is empty");
        }
        command = List.copyOf(command);
        long size = 0;
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            noNul("command argument " + i, arg);
            size += arg.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (command.getFirst().isEmpty()) {
            throw new InvalidSpecException("command name is empty");
        }
        if (size > MAX_COMMAND_BYTES) {
            throw new InvalidSpecException("command too large: " + size + " bytes > " + MAX_COMMAND_BYTES);
        }
        cwd = cwd == null || cwd.isBlank() ? "." : cwd;
        noNul("cwd", cwd);
        env = Map.copyOf(env == null ? Map.of() : env);
        long envSize = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new InvalidSpecException(
                        "invalid environment variable name '" + e.getKey().replace('\0', '?') + "'");
            }
            noNul("environment variable " + e.getKey(), e.getValue());
            envSize += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length + 2;
        }
        if (envSize > MAX_ENV_BYTES) {
            throw new InvalidSpecException("environment too large: " + envSize + " bytes > " + MAX_ENV_BYTES);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSpecException("timeout must be positive, got " + timeout);
        }
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidSpecException("timeout " + timeout + " exceeds the maximum " + MAX_TIMEOUT);
        }
        stdin = stdin == null ? new byte[0] : stdin.clone();
        if (stdin.length > MAX_STDIN_BYTES) {
            throw new InvalidSpecException("stdin too large: " + stdin.length + " bytes > " + MAX_STDIN_BYTES);
        }
    }

    private static void noNul(String what, String value) {
        if (value == null) {
            throw new InvalidSpecException(what + " is null");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidSpecException(what + " contains a NUL byte");
        }
    }

    /** A request with cwd {@code .}, no extra environment, a 60 s timeout and no stdin. */
    public static ExecRequest of(String... command) {
        return new ExecRequest(List.of(command), ".", Map.of(), Duration.ofSeconds(60), new byte[0]);
    }

    /** Same as {@link #of(String...)} for a list. */
    public static ExecRequest of(List<String> command) {
        return new ExecRequest(command, ".", Map.of(), Duration.ofSeconds(60), new byte[0]);
    }

    public ExecRequest withTimeout(Duration t) {
        return new ExecRequest(command, cwd, env, t, stdin);
    }

    public ExecRequest withCwd(String dir) {
        return new ExecRequest(command, dir, env, timeout, stdin);
    }

    public ExecRequest withEnv(Map<String, String> vars) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(vars);
        return new ExecRequest(command, cwd, merged, timeout, stdin);
    }

    public ExecRequest withStdin(byte[] input) {
        return new ExecRequest(command, cwd, env, timeout, input);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecRequest r
                && command.equals(r.command)
                && cwd.equals(r.cwd)
                && env.equals(r.env)
                && timeout.equals(r.timeout)
                && java.util.Arrays.equals(stdin, r.stdin);
    }

    @Override
    public int hashCode() {
        return command.hashCode() * 31 + cwd.hashCode();
    }

    @Override
    public String toString() {
        return "ExecRequest[command=" + command + ", cwd=" + cwd + ", env=" + env.keySet() + ", timeout=" + timeout
                + ", stdin=" + stdin.length + " bytes]";
    }
}
