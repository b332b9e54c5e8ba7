package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.auth.WorkspaceRole;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Per-user API keys for the /v1 front door ({@code dd_} + 40 random characters). Only a SHA-256 of
 * each key is stored; the key is shown once at creation. A key carries the roles and workspace
 * memberships its owner had when creating it (create a new key after a membership change).
 */
@ApplicationScoped
public class ApiKeys {
    /** Every Drydock API key starts with this. */
    public static final String PREFIX = "dd_";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final SecureRandom random = new SecureRandom();

    @Inject DataSource dataSource;

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

    /** The owner of a valid, unrevoked key. */
    public Optional<Caller> authenticate(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update gateway_api_key set last_used_at = now() where key_hash = ? and revoked_at is null returning user_subject, username, roles, workspaces")) {
            ps.setString(1, Hashes.sha256(key));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> roles = Arrays.stream(rs.getString("roles").split(",")).filter(s -> !s.isBlank()).toList();
                List<WorkspaceMembership> ws = Arrays.stream(rs.getString("workspaces").split(",")).filter(s -> s.contains(":"))
                        .map(s -> new WorkspaceMembership(s.substring(0, s.indexOf(':')), WorkspaceRole.valueOf(s.substring(s.indexOf(':') + 1).toUpperCase(Locale.ROOT))))
                        .toList();
                return Optional.of(new Caller(rs.getString("user_subject"), rs.getString("username"), roles, ws, "api-key"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check API key", e);
        }
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
