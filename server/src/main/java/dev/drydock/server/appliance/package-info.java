/** The single-machine appliance behind {@code ./drydock up}: embedded PostgreSQL and Keycloak, secrets, start-up. */
package dev.drydock.server.appliance;
