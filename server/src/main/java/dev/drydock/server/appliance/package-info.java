/** The single-machine appliance behind {@code ./drydock up}: embedded PostgreSQL and Keycloak, secrets, start-up. */
@NullMarked
package dev.drydock.server.appliance;

import org.jspecify.annotations.NullMarked;
