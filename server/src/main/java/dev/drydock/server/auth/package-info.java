/** Who is calling: OIDC identity, realm roles, workspace memberships from Keycloak groups. */
@NullMarked
package dev.drydock.server.auth;

import org.jspecify.annotations.NullMarked;
