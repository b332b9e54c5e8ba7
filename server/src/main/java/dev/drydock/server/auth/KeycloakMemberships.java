package dev.drydock.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.egress.EgressGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A person's current realm roles, workspace memberships and account state, read from Keycloak's
 * Admin API with the {@code drydock-server} client's service account and reused for {@link
 * IdentityConfig#membershipCache()}. Used where no fresh token vouches for the caller (API keys).
 * When Keycloak cannot answer and nothing fresh enough is cached, it says so ({@link
 * UnavailableException}) rather than falling back to stale memberships.
 */
@ApplicationScoped
public class KeycloakMemberships {
    private static final Logger LOG = Logger.getLogger(KeycloakMemberships.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_ROLES =
            Set.of(Roles.DRYDOCK_ADMIN, Roles.WORKSPACE_ADMIN, Roles.MEMBER, Roles.VIEWER);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** A person as Keycloak knows them now. */
    public record Account(
            String subject,
            String username,
            boolean enabled,
            List<String> roles,
            List<WorkspaceMembership> workspaces) {}

    /** Keycloak could not say who the person is now (unreachable, or the server's client was refused). */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** One answer of Keycloak: the account, or empty when the user no longer exists. */
    private record Cached(Optional<Account> account, Instant fetchedAt) {}

    private record ServiceToken(String value, Instant expiresAt) {}

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final String adminBase;
    private final URI tokenEndpoint;
    private final IdentityConfig config;
    private final EgressGuard egress;
    private final Clock clock;
    private volatile @Nullable ServiceToken serviceToken;

    @Inject
    KeycloakMemberships(
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl,
            IdentityConfig config,
            EgressGuard egress) {
        this(authServerUrl, config, egress, Clock.systemUTC());
    }

    /** {@code authServerUrl} is the realm's URL, {@code http(s)://host/realms/<realm>}. */
    public KeycloakMemberships(String authServerUrl, IdentityConfig config, EgressGuard egress, Clock clock) {
        String realmUrl =
                authServerUrl.endsWith("/") ? authServerUrl.substring(0, authServerUrl.length() - 1) : authServerUrl;
        int at = realmUrl.lastIndexOf("/realms/");
        if (at < 0) {
            throw new IllegalArgumentException(
                    "quarkus.oidc.auth-server-url must end in /realms/<realm>: " + authServerUrl);
        }
        this.adminBase = realmUrl.substring(0, at) + "/admin" + realmUrl.substring(at);
        this.tokenEndpoint = URI.create(realmUrl + "/protocol/openid-connect/token");
        this.config = config;
        this.egress = egress;
        this.clock = clock;
        // The identity provider is a configured integration, as for the readiness check.
        egress.allowHost(tokenEndpoint.getHost());
    }

    /**
     * The person with Keycloak user id {@code subject} as of at most the cache time ago; empty when
     * Keycloak no longer has them.
     */
    public Optional<Account> account(String subject) throws UnavailableException {
        Instant now = clock.instant();
        Cached hit = cache.get(subject);
        if (hit != null && hit.fetchedAt().plus(config.membershipCache()).isAfter(now)) {
            return hit.account();
        }
        Optional<Account> fresh = fetch(subject);
        cache.put(subject, new Cached(fresh, now));
        if (cache.size() > 10_000) {
            cache.values()
                    .removeIf(c -> !c.fetchedAt().plus(config.membershipCache()).isAfter(now));
        }
        return fresh;
    }

    private Optional<Account> fetch(String subject) throws UnavailableException {
        String user = adminBase + "/users/" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
        HttpResponse<String> u = get(URI.create(user));
        if (u.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode userNode = ok(u, "user");
        JsonNode groups = ok(get(URI.create(user + "/groups?briefRepresentation=true&first=0&max=1000")), "groups");
        JsonNode roles =
                ok(get(URI.create(user + "/role-mappings/realm/composite?briefRepresentation=true")), "realm roles");
        List<String> paths = new ArrayList<>();
        groups.forEach(g -> paths.add(g.path("path").asText()));
        List<String> known = new ArrayList<>();
        roles.forEach(r -> {
            if (KNOWN_ROLES.contains(r.path("name").asText())) {
                known.add(r.path("name").asText());
            }
        });
        return Optional.of(new Account(
                subject,
                userNode.path("username").asText(),
                userNode.path("enabled").asBoolean(false),
                known.stream().sorted().toList(),
                WorkspaceMembership.fromGroups(paths)));
    }

    private JsonNode ok(HttpResponse<String> r, String what) throws UnavailableException {
        if (r.statusCode() != 200) {
            throw unavailable(
                    "Keycloak answered " + r.statusCode() + " when reading a user's " + what
                            + (r.statusCode() == 403
                                    ? "; the drydock-server client's service account needs realm-management view-users (run ./drydock realm apply)"
                                    : ""),
                    null);
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw unavailable("Keycloak answered something that is not JSON when reading a user's " + what, e);
        }
    }

    private HttpResponse<String> get(URI uri) throws UnavailableException {
        HttpResponse<String> r = send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token(false))
                        .GET(),
                "read user memberships");
        if (r.statusCode() == 401) {
            // the service token may have been revoked or the realm keys rotated: one fresh token, once
            r = send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token(true))
                            .GET(),
                    "read user memberships");
        }
        return r;
    }

    private String token(boolean renew) throws UnavailableException {
        ServiceToken t = serviceToken;
        Instant now = clock.instant();
        if (!renew && t != null && t.expiresAt().isAfter(now)) {
            return t.value();
        }
        String secret = config.clientSecret()
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> unavailable(
                        "drydock.identity.client-secret is not set, so API-key owners' memberships cannot be read",
                        null));
        String form = "grant_type=client_credentials&client_id="
                + URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + "&client_secret="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        HttpResponse<String> r = send(
                HttpRequest.newBuilder(tokenEndpoint)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)),
                "service account token");
        if (r.statusCode() != 200) {
            throw unavailable(
                    "Keycloak refused a token to client " + config.clientId() + " (" + r.statusCode()
                            + "); check that it exists (./drydock realm apply) and that drydock.identity.client-secret is its secret",
                    null);
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            long lifetime = Math.max(0, body.path("expires_in").asLong(60) - 10);
            ServiceToken fresh = new ServiceToken(body.path("access_token").asText(), now.plusSeconds(lifetime));
            serviceToken = fresh;
            return fresh.value();
        } catch (IOException e) {
            throw unavailable("Keycloak's token answer is not JSON", e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String purpose) throws UnavailableException {
        try {
            return egress.send(
                    request.timeout(REQUEST_TIMEOUT)
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString(),
                    CONNECT_TIMEOUT,
                    "identity provider: " + purpose);
        } catch (IOException e) {
            throw unavailable(
                    "Keycloak unreachable at " + tokenEndpoint.getScheme() + "://" + tokenEndpoint.getAuthority() + " ("
                            + e + ")",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking Keycloak", e);
        }
    }

    private static UnavailableException unavailable(String message, @Nullable Throwable cause) {
        return new UnavailableException(message, cause);
    }
}
