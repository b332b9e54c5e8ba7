/** Reads sources from a folder or a git commit, filters what should not be indexed and detects languages. */
@NullMarked
package dev.drydock.search.ingest;

import org.jspecify.annotations.NullMarked;
