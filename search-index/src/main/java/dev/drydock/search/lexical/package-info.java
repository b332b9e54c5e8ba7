/** Code-aware text analysis for BM25: identifiers kept whole and split on case, underscores and dots. */
@NullMarked
package dev.drydock.search.lexical;

import org.jspecify.annotations.NullMarked;
