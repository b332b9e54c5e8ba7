/** The server's one embedding model (local-inference behind search-index's {@code Embedder} port), loaded on first use and shared. */
@NullMarked
package dev.drydock.server.embedding;

import org.jspecify.annotations.NullMarked;
