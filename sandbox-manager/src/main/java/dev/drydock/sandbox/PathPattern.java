package dev.drydock.sandbox;

import java.util.regex.Pattern;

/**
 * A glob over repository paths (relative, {@code /}-separated): {@code *} and {@code ?} stay within
 * one path segment, {@code **} spans any number of them. A pattern matches a path when it matches
 * the path itself or one of its parent directories, so {@code deploy/prod} covers everything below
 * that folder, and {@code **}{@code /*.pem} every {@code .pem} file at any depth.
 */
public final class PathPattern {
    static final int MAX_LENGTH = 200;
    private final String glob;
    private final Pattern regex;

    public PathPattern(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new InvalidSpecException("a path pattern must not be empty");
        }
        glob = glob.strip();
        while (glob.startsWith("/")) {
            glob = glob.substring(1);
        }
        while (glob.endsWith("/")) {
            glob = glob.substring(0, glob.length() - 1);
        }
        if (glob.isEmpty() || glob.length() > MAX_LENGTH) {
            throw new InvalidSpecException(
                    "path pattern '" + glob + "' must have 1 to " + MAX_LENGTH + " characters besides slashes");
        }
        if (glob.contains("\\")
                || glob.contains("\0")
                || glob.contains("\n")
                || glob.contains("[")
                || glob.contains("{")) {
            throw new InvalidSpecException(
                    "path pattern '" + glob + "' may use only '*', '**' and '?' as wildcards, and no backslash");
        }
        for (String segment : glob.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidSpecException("path pattern '" + glob + "' has an empty, '.' or '..' segment");
            }
        }
        this.glob = glob;
        this.regex = regex(glob);
    }

    /** The pattern as written, without leading or trailing slashes. */
    public String glob() {
        return glob;
    }

    /** True when this pattern covers {@code path} or a folder that holds it. */
    public boolean matches(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        if (regex.matcher(p).matches()) {
            return true;
        }
        for (int slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
            if (regex.matcher(p.substring(0, slash)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when any of {@code patterns} covers {@code path}. */
    public static boolean anyMatches(java.util.List<PathPattern> patterns, String path) {
        for (PathPattern p : patterns) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static Pattern regex(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                boolean dirs = i + 2 < g.length() && g.charAt(i + 2) == '/';
                re.append(dirs ? "(?:.*/)?" : ".*");
                i += dirs ? 2 : 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern other && other.glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
