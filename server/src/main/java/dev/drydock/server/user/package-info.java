/** People as Drydock records them (and the workspaces they are first seen in); {@code /api/me}. */
@NullMarked
package dev.drydock.server.user;

import org.jspecify.annotations.NullMarked;
