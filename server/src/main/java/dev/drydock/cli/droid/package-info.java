/** {@code ./drydock bench sessions}: many scripted droid sessions, event latency to SSE clients, heap. */
@NullMarked
package dev.drydock.cli.droid;

import org.jspecify.annotations.NullMarked;
