/** Repositories of a workspace: registration, the server mirror, indexing and workspace-scoped search. */
@NullMarked
package dev.drydock.server.repository;

import org.jspecify.annotations.NullMarked;
