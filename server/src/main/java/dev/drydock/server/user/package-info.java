/** People and workspaces as Drydock records them; {@code /api/me}. */
package dev.drydock.server.user;
