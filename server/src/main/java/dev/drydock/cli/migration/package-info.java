/** {@code ./drydock migration}: start, show, approve and watch migrations on a signed-in server. */
@NullMarked
package dev.drydock.cli.migration;

import org.jspecify.annotations.NullMarked;
