/** {@code ./drydock session start|list|show}: droid sessions on a signed-in server, watched and steered from the terminal. */
@NullMarked
package dev.drydock.cli.session;

import org.jspecify.annotations.NullMarked;
