/** What a droid knows before its first step: rules files and a deterministic project overview. */
@NullMarked
package dev.drydock.server.agent.context;

import org.jspecify.annotations.NullMarked;
