/** {@code ./drydock realm}: day-2 changes to the Keycloak realm through the Admin API. */
package dev.drydock.cli.realm;
