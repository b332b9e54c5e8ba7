/** Signals mined from git history up to the indexed commit: change frequency, recency and co-change. */
@NullMarked
package dev.drydock.search.history;

import org.jspecify.annotations.NullMarked;
