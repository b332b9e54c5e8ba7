/** The web portal: server-rendered pages behind Keycloak sign-in. */
@NullMarked
package dev.drydock.server.portal;

import org.jspecify.annotations.NullMarked;
