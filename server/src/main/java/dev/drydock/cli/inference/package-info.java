/** {@code ./drydock bench embed}: embedding throughput of the local-inference pipeline against raw ONNX Runtime. */
@NullMarked
package dev.drydock.cli.inference;

import org.jspecify.annotations.NullMarked;
