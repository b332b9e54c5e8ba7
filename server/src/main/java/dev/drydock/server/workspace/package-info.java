/** Team workspaces: membership-scoped access and policies (droids, routes, autonomy, classification). */
@NullMarked
package dev.drydock.server.workspace;

import org.jspecify.annotations.NullMarked;
