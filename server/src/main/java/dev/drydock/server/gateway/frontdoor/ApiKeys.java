package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.KeycloakMemberships;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.gateway.core.Hashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Per-user API keys for the /v1 front door ({@code dd_} + 40 random characters). Only a SHA-256 of
 * each key is stored; the key is shown once at creation. A key acts with its owner's current roles
 * and workspace memberships, read from Keycloak ({@link KeycloakMemberships}); the ones stored at
 * creation are a record of that moment only.
 */
@ApplicationScoped
public class ApiKeys {
    /** Every Drydock API key starts with this. */
    public static final String PREFIX = "dd_";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final SecureRandom random = new SecureRandom();

    @Inject DataSource dataSource;
    @Inject KeycloakMemberships memberships;

    /** A key as listed: never the key itself. */
    public record KeyView(long id, String name, String prefix, Instant createdAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {}

    /** A new key: {@code key} is shown this once. */
    public record NewKey(long id, String name, String prefix, Instant createdAt, String key) {}

    public NewKey create(String subject, String username, List<String> roles, List<WorkspaceMembership> workspaces, String name) {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = 0; i < 40; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        String key = sb.toString();
        String prefix = key.substring(0, 10);
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into gateway_api_key (user_subject, username, name, key_prefix, key_hash, roles, workspaces, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, subject);
            ps.setString(2, username);
            ps.setString(3, name);
            ps.setString(4, prefix);
            ps.setString(5, Hashes.sha256(key));
            ps.setString(6, String.join(",", roles));
            ps.setString(7, workspaces.stream().map(m -> m.workspace() + ":" + m.role().label()).collect(Collectors.joining(",")));
            ps.setTimestamp(8, Timestamp.from(now));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new NewKey(keys.getLong(1), name, prefix, now, key);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store API key", e);
        }
    }

    public List<KeyView> list(String subject) {
        List<KeyView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select * from gateway_api_key where user_subject = ? order by id")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new KeyView(rs.getLong("id"), rs.getString("name"), rs.getString("key_prefix"), rs.getTimestamp("created_at").toInstant(),
                            instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at"))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read API keys", e);
        }
        return out;
    }

    /** Revokes one of the subject's keys; false when it has no such key. */
    public boolean revoke(String subject, long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update gateway_api_key set revoked_at = coalesce(revoked_at, now()) where id = ? and user_subject = ?")) {
            ps.setLong(1, id);
            ps.setString(2, subject);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke API key", e);
        }
    }

    /** What checking a presented key found. */
    public sealed interface Check {
        /** The key is valid and its owner is enabled; the principal carries the owner's current roles and memberships. */
        record Valid(Principal principal) implements Check {}

        /** No such key, or it was revoked. */
        record Unknown() implements Check {}

        /** The key is valid but its owner was disabled or deleted in Keycloak. */
        record OwnerRefused(String subject, String username, String reason) implements Check {}

        /** Keycloak could not confirm the owner's memberships, and nothing fresh enough is cached. */
        record Unconfirmed(String subject, String why) implements Check {}
    }

    /**
     * Checks a presented key. Its owner's roles and workspaces are their current ones in Keycloak (at
     * most {@code drydock.identity.membership-cache} old), not the ones stored with the key.
     */
    public Check authenticate(String key) {
        if (!key.startsWith(PREFIX)) {
            return new Check.Unknown();
        }
        String subject;
        String username;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update gateway_api_key set last_used_at = now() where key_hash = ? and revoked_at is null returning user_subject, username")) {
            ps.setString(1, Hashes.sha256(key));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Check.Unknown();
                }
                subject = rs.getString("user_subject");
                username = rs.getString("username");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check API key", e);
        }
        Optional<KeycloakMemberships.Account> owner;
        try {
            owner = memberships.account(subject);
        } catch (KeycloakMemberships.UnavailableException e) {
            return new Check.Unconfirmed(subject, e.getMessage());
        }
        if (owner.isEmpty()) {
            return new Check.OwnerRefused(subject, username, "key owner deleted");
        }
        KeycloakMemberships.Account account = owner.get();
        if (!account.enabled()) {
            return new Check.OwnerRefused(subject, account.username(), "key owner disabled");
        }
        return new Check.Valid(new Principal(subject, account.username(), account.username(), null, account.roles(), account.workspaces()));
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
