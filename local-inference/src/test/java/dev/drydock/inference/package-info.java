/** Tests of the embedding pipeline, with the shipped model and tiny hand-written ONNX models. */
@NullMarked
package dev.drydock.inference;

import org.jspecify.annotations.NullMarked;
