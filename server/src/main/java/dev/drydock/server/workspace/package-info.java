/** Team workspaces: membership-scoped access and policies (droids, routes, autonomy, classification). */
package dev.drydock.server.workspace;
