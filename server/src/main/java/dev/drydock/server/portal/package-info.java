/** The web portal: server-rendered pages behind Keycloak sign-in. */
package dev.drydock.server.portal;
