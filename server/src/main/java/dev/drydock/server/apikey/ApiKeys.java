package dev.drydock.server.apikey;

import dev.drydock.server.audit.AccessAuditor;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.KeycloakMemberships;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.auth.WorkspaceMembership;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Personal access tokens ({@code dd_} + 40 random characters), accepted on {@code /api} and on the
 * {@code /v1} front door. Only a SHA-256 of each key is stored; the key is shown once at creation.
 * Every key expires (at most {@link #MAX_DAYS} days after creation) and can be revoked by its owner.
 *
 * <p>A key acts with its owner's current realm roles and workspace memberships, read from Keycloak
 * ({@link KeycloakMemberships}) at most {@code drydock.identity.membership-cache} ago, never with the
 * ones of the moment it was created, and never with {@code drydock-admin}: administering the appliance
 * needs a Keycloak sign-in (the portal or {@code ./drydock login}). Creations and revocations are sealed
 * into the audit trail; refused keys are recorded as refused access.
 */
@ApplicationScoped
public class ApiKeys {
    /** Every Drydock API key starts with this. */
    public static final String PREFIX = "dd_";
    /** Days a key lives when its creator does not say. */
    public static final int DEFAULT_DAYS = 90;
    /** The longest a key may live. */
    public static final int MAX_DAYS = 365;

    private static final int PREFIX_SHOWN = 10;
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final SecureRandom random = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    KeycloakMemberships memberships;

    @Inject
    AuditTrail trail;

    @Inject
    AccessAuditor access;

    Clock clock = Clock.systemUTC();

    /** A key as listed: never the key itself, only its first characters ({@code prefix}). */
    public record KeyView(
            long id,
            String name,
            String prefix,
            Instant createdAt,
            Instant expiresAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt,
            String state) {}

    /** A new key: {@code key} is in this answer only. */
    public record NewKey(long id, String name, String prefix, Instant createdAt, Instant expiresAt, String key) {}

    /**
     * Creates a key for {@code owner}, named {@code name} (1-100 characters), living {@code days}
     * days (1-{@link #MAX_DAYS}); bad input is a 400 that says what to send.
     * The row and its audit record commit together.
     */
    @Transactional
    public NewKey create(Principal owner, @Nullable String name, int days) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 100) {
            throw ProblemException.badRequest(
                    "name is required (1-100 characters), e.g. {\"name\": \"my laptop\", \"expiresInDays\": 90}");
        }
        if (days < 1 || days > MAX_DAYS) {
            throw ProblemException.badRequest(
                    "expiresInDays must be between 1 and " + MAX_DAYS + " (default " + DEFAULT_DAYS + "); got " + days);
        }
        StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = 0; i < 40; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        String key = sb.toString();
        String prefix = key.substring(0, PREFIX_SHOWN);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(Duration.ofDays(days));
        long id = ((Number) em.createNativeQuery(
                                "insert into gateway_api_key (user_subject, username, name, key_prefix, key_hash, roles, workspaces, created_at, expires_at) "
                                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) returning id")
                        .setParameter(1, owner.subject())
                        .setParameter(2, owner.username())
                        .setParameter(3, n)
                        .setParameter(4, prefix)
                        .setParameter(5, sha256(key))
                        .setParameter(6, String.join(",", owner.roles()))
                        .setParameter(
                                7,
                                owner.workspaces().stream()
                                        .map(m -> m.workspace() + ":" + m.role().label())
                                        .collect(Collectors.joining(",")))
                        .setParameter(8, now)
                        .setParameter(9, expires)
                        .getSingleResult())
                .longValue();
        trail.appendInTransaction(AuditEntry.of(owner.subject(), "api-key.created", "api-key:" + id)
                .with("name", n)
                .with("prefix", prefix)
                .with("expiresAt", expires)
                .with("username", owner.username()));
        return new NewKey(id, n, prefix, now, expires, key);
    }

    /** The subject's keys, oldest first, without their values. */
    public List<KeyView> list(String subject) {
        Instant now = clock.instant();
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select id, name, key_prefix, created_at, expires_at, last_used_at, revoked_at from gateway_api_key where user_subject = ?1 order by id")
                    .setParameter(1, subject)
                    .getResultList();
            return rows.stream()
                    .map(r -> {
                        Instant expires = Columns.instant(r[4]);
                        Instant revoked = Columns.instantOrNull(r[6]);
                        return new KeyView(
                                Columns.longValue(r[0]),
                                (String) r[1],
                                (String) r[2],
                                Columns.instant(r[3]),
                                expires,
                                Columns.instantOrNull(r[5]),
                                revoked,
                                revoked != null ? "revoked" : expires.isAfter(now) ? "active" : "expired");
                    })
                    .toList();
        });
    }

    @Transactional
    public boolean revoke(Principal owner, long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> revoked = em.createNativeQuery(
                        "update gateway_api_key set revoked_at = now() where id = ?1 and user_subject = ?2 and revoked_at is null returning key_prefix, name")
                .setParameter(1, id)
                .setParameter(2, owner.subject())
                .getResultList();
        if (!revoked.isEmpty()) {
            trail.appendInTransaction(AuditEntry.of(owner.subject(), "api-key.revoked", "api-key:" + id)
                    .with("name", (String) revoked.getFirst()[1])
                    .with("prefix", (String) revoked.getFirst()[0])
                    .with("username", owner.username()));
            return true;
        }
        return !em.createNativeQuery("select 1 from gateway_api_key where id = ?1 and user_subject = ?2")
                .setParameter(1, id)
                .setParameter(2, owner.subject())
                .getResultList()
                .isEmpty();
    }

    public sealed interface Check {
        /** The key is valid and its owner is enabled; the principal carries the owner's current roles and memberships. */
        record Valid(Principal principal, Instant expiresAt) implements Check {}

        /** The key was refused (recorded as refused access); {@code message} tells the caller what to do. */
        record Refused(String message) implements Check {}

        /** Keycloak could not confirm the owner's memberships, and nothing fresh enough is cached. */
        record Unconfirmed(String subject, String why) implements Check {}
    }

    /**
     * Checks a presented key, sent to {@code path} from {@code client}. Its owner's roles and
     * workspaces are their current ones in Keycloak, not the ones stored with the key; a refusal is
     * recorded in the audit trail (rate-limited per client, as every refused access).
     */
    public Check authenticate(String key, String path, String client) {
        if (!key.startsWith(PREFIX)) {
            return refused("anonymous", "", "unknown key", path, client, unknown());
        }
        String subject;
        String username;
        String prefix;
        Instant expires;
        @Nullable Instant revoked;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "select id, user_subject, username, key_prefix, expires_at, revoked_at from gateway_api_key where key_hash = ?1")
                        .setParameter(1, sha256(key))
                        .getResultList());
        if (rows.isEmpty()) {
            return refused("anonymous", "", "unknown key", path, client, unknown());
        }
        Object[] row = rows.getFirst();
        subject = (String) row[1];
        username = (String) row[2];
        prefix = (String) row[3];
        expires = Columns.instant(row[4]);
        revoked = Columns.instantOrNull(row[5]);
        if (revoked != null) {
            return refused(
                    subject,
                    username,
                    "key revoked",
                    path,
                    client,
                    "This API key (" + prefix + "…) was revoked on " + DAY.format(revoked)
                            + ". Create a new one on the portal's Me page (/portal/me).");
        }
        if (!expires.isAfter(clock.instant())) {
            return refused(
                    subject,
                    username,
                    "key expired",
                    path,
                    client,
                    "This API key (" + prefix + "…) expired on " + DAY.format(expires)
                            + ". Create a new one on the portal's Me page (/portal/me).");
        }
        Optional<KeycloakMemberships.Account> owner;
        try {
            owner = memberships.account(subject);
        } catch (KeycloakMemberships.UnavailableException e) {
            return new Check.Unconfirmed(subject, Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }
        if (owner.isEmpty()) {
            return refused(
                    subject,
                    username,
                    "key owner deleted",
                    path,
                    client,
                    "This API key's owner is no longer an active user; the key is refused.");
        }
        KeycloakMemberships.Account account = owner.get();
        if (!account.enabled()) {
            return refused(
                    subject,
                    account.username(),
                    "key owner disabled",
                    path,
                    client,
                    "This API key's owner is no longer an active user; the key is refused.");
        }
        touch(key);
        List<String> roles = account.roles().stream()
                .filter(r -> !r.equals(Roles.DRYDOCK_ADMIN))
                .toList();
        List<WorkspaceMembership> workspaces = account.workspaces();
        return new Check.Valid(
                new Principal(subject, account.username(), account.username(), null, roles, workspaces), expires);
    }

    private static String unknown() {
        return "This API key is not known: check that you copied all of it, or create a new one on the portal's Me page (/portal/me).";
    }

    private Check refused(String subject, String username, String reason, String path, String client, String message) {
        access.apiKeyRefused(subject, username, reason, path, client);
        return new Check.Refused(message);
    }

    private void touch(String key) {
        QuarkusTransaction.joiningExisting()
                .run(() -> em.createNativeQuery("update gateway_api_key set last_used_at = now() where key_hash = ?1")
                        .setParameter(1, sha256(key))
                        .executeUpdate());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
