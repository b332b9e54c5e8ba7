/** Shared test infrastructure: real PostgreSQL and Keycloak, tokens. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.testing;
