package dev.drydock.search;

/** Which rankings a search uses. */
public enum SearchMode {
    /** BM25 over code-aware fields only. */
    LEXICAL,
    /** Vector similarity only (needs an {@link Embedder}). */
    DENSE,
    /** Lexical, dense, symbol graph and history signals fused. */
    HYBRID
}
