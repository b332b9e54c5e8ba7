package dev.drydock.search;

/** Turns texts into L2-normalised vectors. Implemented outside this module (server wires local-inference in). */
public interface Embedder {
    /** Stable id, stored in the index so a model change forces a rebuild of vectors. */
    String modelId();

    int dimensions();

    /** Thread-safe; batches internally. */
    float[][] embed(java.util.List<String> texts);
}
