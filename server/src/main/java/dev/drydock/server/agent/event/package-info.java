/** The typed, immutable events of a droid session: an envelope plus a sealed payload hierarchy. */
@NullMarked
package dev.drydock.server.agent.event;

import org.jspecify.annotations.NullMarked;
