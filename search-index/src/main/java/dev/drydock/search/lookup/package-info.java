/** Completion of {@code @}-mentions: repositories, paths and symbol names by prefix and fuzzy match. */
@NullMarked
package dev.drydock.search.lookup;

import org.jspecify.annotations.NullMarked;
