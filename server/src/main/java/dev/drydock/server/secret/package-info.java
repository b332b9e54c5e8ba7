/** Workspace secrets: named credentials a workspace admin stores for one workspace, encrypted at rest and never returned. */
@NullMarked
package dev.drydock.server.secret;

import org.jspecify.annotations.NullMarked;
