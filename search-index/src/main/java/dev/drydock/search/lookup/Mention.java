package dev.drydock.search.lookup;

import org.jspecify.annotations.Nullable;

/**
 * One completion of an {@code @}-mention.
 *
 * @param kind what is mentioned
 * @param repo the repository
 * @param path the file (for a symbol: its first defining file, by path order); empty for a repository
 * @param symbol the symbol name, for {@link Kind#SYMBOL}
 * @param definers how many readable files define the symbol (1 for a path or a repository)
 * @param match how the query matched, best first
 */
public record Mention(Kind kind, String repo, String path, @Nullable String symbol, int definers, Match match) {
    /** What a mention names. */
    public enum Kind { REPOSITORY, PATH, SYMBOL }

    /** How the query matched the mention's name (file name, symbol name or repository name) or path. */
    public enum Match {
        /** the whole name, ignoring case */
        EXACT,
        /** the start of the name */
        PREFIX,
        /** the start of the path (or of the repository-qualified path) */
        PATH_PREFIX,
        /** the query's characters in order, not necessarily adjacent */
        FUZZY
    }

    /** The text inserted into a task: {@code @repo:path}, {@code @repo} or {@code @symbol}. */
    public String text() {
        return switch (kind) {
            case REPOSITORY -> "@" + repo;
            case PATH -> "@" + repo + ":" + path;
            case SYMBOL -> "@" + symbol;
        };
    }
}
