/** {@code ./drydock realm}: day-2 changes to the Keycloak realm through the Admin API. */
@NullMarked
package dev.drydock.cli.realm;

import org.jspecify.annotations.NullMarked;
