/** Repositories of a workspace: registration, the server mirror, indexing and workspace-scoped search. */
package dev.drydock.server.repository;
