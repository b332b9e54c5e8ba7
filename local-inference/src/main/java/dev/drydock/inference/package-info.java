/**
 * Text embeddings on CPU with ONNX Runtime and HuggingFace tokenizers; never opens a network
 * connection. Start at {@link dev.drydock.inference.EmbeddingModels}.
 */
@NullMarked
package dev.drydock.inference;

import org.jspecify.annotations.NullMarked;
