/** Retrieval quality metrics (recall@k, MRR@k) over ranked file lists. */
@NullMarked
package dev.drydock.search.eval;

import org.jspecify.annotations.NullMarked;
