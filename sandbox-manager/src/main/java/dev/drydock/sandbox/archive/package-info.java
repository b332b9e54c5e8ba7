/** Tar upload and download of a workspace, confined through {@code WorkspaceFiles}. */
package dev.drydock.sandbox.archive;
