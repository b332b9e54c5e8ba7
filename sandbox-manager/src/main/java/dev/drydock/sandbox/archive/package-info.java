/** Tar upload and download of a workspace, confined through {@code WorkspaceFiles}. */
@NullMarked
package dev.drydock.sandbox.archive;

import org.jspecify.annotations.NullMarked;
