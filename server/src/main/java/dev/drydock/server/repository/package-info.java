/**
 * Repositories of a workspace: registration and labels ({@code RepositoryRegistry}, sources checked
 * by {@code RepositorySourceChecks}), the server mirror and its sync ({@code RepositorySync}),
 * indexing ({@code RepositoryIndexing}) and what sessions read ({@code RepositoryContent}).
 */
@NullMarked
package dev.drydock.server.repository;

import org.jspecify.annotations.NullMarked;
