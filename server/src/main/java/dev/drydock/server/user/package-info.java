/** People as Drydock records them (and the workspaces they are first seen in); {@code /api/me}. */
package dev.drydock.server.user;
