/** The Lucene index: schema, writing (incremental, crash-safe) and searching. */
@NullMarked
package dev.drydock.search.index;

import org.jspecify.annotations.NullMarked;
