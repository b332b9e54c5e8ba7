package dev.drydock.search;

import java.util.Set;

/**
 * One search.
 *
 * @param text free text; never parsed as query syntax
 * @param readableRepos the repos the caller may read: no hit outside this set is ever returned
 * @param k how many hits (or files) to return
 * @param mode which rankings to use
 */
public record SearchQuery(String text, Set<String> readableRepos, int k, SearchMode mode) {
    public static final int MAX_K = 1000;

    public SearchQuery {
        readableRepos = Set.copyOf(readableRepos);
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", was " + k);
        }
    }
}
