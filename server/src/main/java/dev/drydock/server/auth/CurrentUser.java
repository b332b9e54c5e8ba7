package dev.drydock.server.auth;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, read from the verified access token (or, for an API key, from the owner's current
 * Keycloak account that the key's identity provider put in the identity's {@link #PRINCIPAL_ATTRIBUTE}):
 * identity, realm roles and workspace memberships. Resources and services ask this bean; they never
 * parse tokens themselves.
 */
@RequestScoped
public class CurrentUser {
    private static final Set<String> KNOWN_ROLES =
            Set.of(Roles.DRYDOCK_ADMIN, Roles.WORKSPACE_ADMIN, Roles.MEMBER, Roles.VIEWER);

    /** The identity attribute holding the {@link Principal} of a caller authenticated by an API key. */
    public static final String PRINCIPAL_ATTRIBUTE = "drydock.principal";
    /** The identity attribute holding when an API key expires ({@link Instant}). */
    public static final String CREDENTIAL_EXPIRY_ATTRIBUTE = "drydock.credential-expiry";

    @Inject
    SecurityIdentity identity;

    @Inject
    IdentityConfig identityConfig;

    @Inject
    JsonWebToken accessToken;

    @Inject
    @IdToken
    Instance<JsonWebToken> idToken;

    /** A snapshot of the caller, safe to pass around and to return. */
    public Principal principal() {
        if (identity.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof Principal byKey) {
            return byKey;
        }
        JsonWebToken token = accessToken;
        String subject = Optional.ofNullable(token.getSubject())
                .orElse(identity.getPrincipal().getName());
        String username = claim(token, "preferred_username")
                .orElse(identity.getPrincipal().getName());
        String name = claim(token, "name").or(() -> idClaim("name")).orElse(username);
        Optional<String> email = claim(token, "email").or(() -> idClaim("email"));
        Set<String> roles = new TreeSet<>(identity.getRoles());
        roles.retainAll(KNOWN_ROLES);
        Collection<String> groups = Optional.ofNullable(token.<Collection<String>>getClaim("groups"))
                .orElse(List.of());
        return new Principal(
                subject,
                username,
                name,
                email.orElse(null),
                List.copyOf(roles),
                WorkspaceMembership.fromGroups(
                        groups.stream().map(String::valueOf).toList()));
    }

    /** When the caller's token stops vouching for them (its {@code exp}); streams end there. */
    public Instant credentialExpiry() {
        if (identity.getAttribute(CREDENTIAL_EXPIRY_ATTRIBUTE) instanceof Instant keyExpires) {
            // a key vouches for its owner's memberships only as long as they were last confirmed
            Instant reconfirm = Instant.now().plus(identityConfig.membershipCache());
            return keyExpires.isBefore(reconfirm) ? keyExpires : reconfirm;
        }
        long exp = accessToken.getExpirationTime();
        return exp > 0 ? Instant.ofEpochSecond(exp) : Instant.now();
    }

    /** Whether the caller authenticated with an API key rather than a Keycloak token or session. */
    public boolean byApiKey() {
        return identity.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof Principal;
    }

    private Optional<String> idClaim(String name) {
        return idToken.isResolvable() ? claim(idToken.get(), name) : Optional.empty();
    }

    private static Optional<String> claim(JsonWebToken token, String name) {
        try {
            return Optional.ofNullable(token.getClaim(name))
                    .map(String::valueOf)
                    .filter(s -> !s.isBlank());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The caller as the API and portal present it. */
    public record Principal(
            String subject,
            String username,
            String displayName,
            @org.jspecify.annotations.Nullable String email,
            List<String> roles,
            List<WorkspaceMembership> workspaces) {

        public boolean isDrydockAdmin() {
            return roles.contains(Roles.DRYDOCK_ADMIN);
        }

        /** The caller's role in a workspace; drydock admins administer every workspace. */
        public Optional<WorkspaceRole> roleIn(String workspace) {
            if (isDrydockAdmin()) {
                return Optional.of(WorkspaceRole.ADMIN);
            }
            return workspaces.stream()
                    .filter(m -> m.workspace().equals(workspace))
                    .map(WorkspaceMembership::role)
                    .findFirst();
        }
    }
}
