package dev.drydock.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.auth.AccessRefused;
import dev.drydock.server.auth.UnverifiedJwt;
import dev.drydock.server.problem.ProblemAnswered;
import dev.drydock.server.problem.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Records refused access in the audit trail: bearer tokens that failed validation (expired, forged,
 * wrong audience or issuer) and callers refused at a workspace boundary (404 or 403). Recording happens
 * off the request thread, and at most {@code drydock.identity.refusal-records-per-minute} records
 * per client address and minute are written; what is over the limit is counted and reported on the next record from that address, so a
 * flood of bad tokens cannot flood the chain. The problem mappers announce what they refused as CDI
 * events ({@code ProblemAnswered}, {@code Refusal}); this class observes them.
 */
@ApplicationScoped
public class AccessAuditor {
    private static final Logger LOG = Logger.getLogger(AccessAuditor.class);

    @Inject
    AuditTrail trail;

    @Inject
    dev.drydock.server.auth.IdentityConfig identity;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    @ConfigProperty(name = "quarkus.oidc.token.audience")
    String audience;

    Clock clock = Clock.systemUTC();

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Counts records of one client address within the current minute. */
    private static final class Window {
        long minute;
        int recorded;
        int suppressed;
    }

    /** A refusal at a workspace boundary ({@link AccessRefused}) that the REST layer answered. */
    void answered(@Observes ProblemAnswered answered) {
        if (answered.problem() instanceof AccessRefused r) {
            callerRefused(
                    r.caller().subject(),
                    r.caller().username(),
                    r.workspace(),
                    r.target(),
                    r.problem().status(),
                    answered.path(),
                    answered.client());
        }
    }

    /** A refusal of the security layer that the REST layer answered: a refused token, or roles too low (403). */
    void refused(@Observes Refusal refusal) {
        switch (refusal) {
            case Refusal.TokenRefused t -> tokenRefused(t.token(), t.path(), t.client());
            case Refusal.RolesRefused r ->
                callerRefused(r.subject(), r.username(), null, r.path(), 403, r.path(), r.client());
        }
    }

    /**
     * A bearer token was refused; {@code token} is the raw (unverified) token, used only to say why.
     * The actor is always {@code anonymous}: anyone can write any subject into a token nobody signed,
     * so what it claims is kept as {@code claimedSubject} / {@code claimedUsername} only.
     */
    public void tokenRefused(@Nullable String token, String path, String client) {
        Claims claims = Claims.of(token);
        AuditEntry entry = AuditEntry.of("anonymous", "access.refused", path)
                .with("status", 401)
                .with("reason", claims.reason(issuer, audience, clock.instant()))
                .with("client", client);
        if (claims.subject() != null) {
            entry = entry.with("claimedSubject", claims.subject());
        }
        if (claims.username() != null) {
            entry = entry.with("claimedUsername", claims.username());
        }
        record(entry, client);
    }

    /** An API key was refused (401): unknown, revoked, expired, or its owner disabled or deleted in Keycloak; {@code reason} says which. */
    public void apiKeyRefused(String subject, String username, String reason, String path, String client) {
        record(
                AuditEntry.of(subject, "access.refused", path)
                        .with("status", 401)
                        .with("reason", reason)
                        .with("credential", "api-key")
                        .with("username", username)
                        .with("client", client),
                client);
    }

    /** A signed-in caller was refused: outside {@code workspace} (404), or with too low a role (403). */
    public void callerRefused(
            String subject,
            String username,
            @Nullable String workspace,
            String object,
            int status,
            String path,
            String client) {
        record(
                AuditEntry.of(subject, "access.refused", path)
                        .inWorkspace(workspace)
                        .with("status", status)
                        .with("reason", status == 404 ? "not in workspace" : "role too low")
                        .with("object", object)
                        .with("username", username)
                        .with("client", client),
                client);
    }

    /**
     * A webhook refused for its signature or token ({@code hook.refused}): recorded within the same
     * per-client limit as every other refusal (counted apart from refused tokens, so neither crowds
     * out the other), so a flood of forged webhooks cannot flood the chain.
     */
    public void hookRefused(AuditEntry entry, String client) {
        record(entry, "hook " + client);
    }

    private void record(AuditEntry entry, String client) {
        long minute = clock.millis() / 60_000;
        int suppressedBefore;
        Window w = windows.computeIfAbsent(client, c -> new Window());
        synchronized (w) {
            if (w.minute != minute) {
                suppressedBefore = w.suppressed;
                w.minute = minute;
                w.recorded = 0;
                w.suppressed = 0;
            } else {
                suppressedBefore = 0;
            }
            if (w.recorded >= identity.refusalRecordsPerMinute()) {
                w.suppressed++;
                return;
            }
            w.recorded++;
        }
        if (windows.size() > 10_000) {
            windows.entrySet().removeIf(e -> e.getValue().minute < minute);
        }
        AuditEntry sealed = suppressedBefore == 0 ? entry : entry.with("suppressedBefore", suppressedBefore);
        Thread.ofVirtual().name("access-audit").start(() -> {
            try {
                trail.append(sealed);
            } catch (RuntimeException e) {
                LOG.errorf(
                        "could not record a refused access to %s in the audit trail: %s",
                        sealed.target(), e.toString());
            }
        });
    }

    /** What an unverified token claims; only used to label a refusal. */
    record Claims(
            @Nullable String subject,
            @Nullable String username,
            @Nullable String iss,
            @Nullable JsonNode aud,
            long exp,
            boolean readable) {
        static Claims of(@Nullable String token) {
            return UnverifiedJwt.payload(token)
                    .map(n -> new Claims(
                            text(n, "sub"),
                            text(n, "preferred_username"),
                            text(n, "iss"),
                            n.get("aud"),
                            n.path("exp").asLong(0),
                            true))
                    .orElse(new Claims(null, null, null, null, 0, false));
        }

        private static @Nullable String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || !v.isTextual() ? null : v.asText();
        }

        String reason(String expectedIssuer, String expectedAudience, Instant now) {
            if (!readable) {
                return "malformed token";
            }
            if (iss != null && !stripSlash(iss).equals(stripSlash(expectedIssuer))) {
                return "wrong issuer";
            }
            if (aud == null
                    || !(aud.isTextual() ? aud.asText().equals(expectedAudience) : contains(aud, expectedAudience))) {
                return "wrong audience";
            }
            if (exp > 0 && exp <= now.getEpochSecond()) {
                return "expired";
            }
            return "invalid signature";
        }

        private static boolean contains(JsonNode array, String value) {
            for (JsonNode v : array) {
                if (v.asText().equals(value)) {
                    return true;
                }
            }
            return false;
        }

        private static String stripSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
