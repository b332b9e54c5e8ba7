/** Who is calling: OIDC identity, realm roles, workspace memberships from Keycloak groups. */
package dev.drydock.server.auth;
