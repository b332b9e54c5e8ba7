/** Rank fusion as pure functions over ranked lists. */
@NullMarked
package dev.drydock.search.fusion;

import org.jspecify.annotations.NullMarked;
