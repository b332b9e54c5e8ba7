package dev.drydock.search.lookup;

import java.util.Comparator;
import java.util.Locale;
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
 * @param scatter for a fuzzy match, how scattered the query's characters are in the name (lower is
 *     better); 0 otherwise
 */
public record Mention(
        Kind kind, String repo, String path, @Nullable String symbol, int definers, Match match, int scatter) {
    /**
     * The order of completions: by match, then scatter, then shorter names, then by name (ignoring
     * case, then with it: a type {@code Metrics} and a method {@code metrics} of one file), kind,
     * repository and path (a total order, so lists of several indexes merge deterministically).
     */
    public static final Comparator<Mention> ORDER = Comparator.comparingInt(
                    (Mention m) -> m.match().ordinal())
            .thenComparingInt(Mention::scatter)
            .thenComparingInt(m -> m.name().length())
            .thenComparing(m -> m.name().toLowerCase(Locale.ROOT))
            .thenComparingInt(m -> m.kind().ordinal())
            .thenComparing(Mention::name)
            .thenComparing(Mention::repo)
            .thenComparing(Mention::path);

    /** What a mention names. */
    public enum Kind {
        REPOSITORY,
        PATH,
        SYMBOL
    }

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

    /** The name matched: the repository's, the file's (last path segment) or the symbol's. */
    public String name() {
        return switch (kind) {
            case REPOSITORY -> repo;
            case PATH -> path.substring(path.lastIndexOf('/') + 1);
            case SYMBOL -> symbol == null ? "" : symbol;
        };
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
