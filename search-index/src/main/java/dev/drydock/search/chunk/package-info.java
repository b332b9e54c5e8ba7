/** Splits source files into syntax-aware chunks that know their enclosing and defined symbols. */
@NullMarked
package dev.drydock.search.chunk;

import org.jspecify.annotations.NullMarked;
