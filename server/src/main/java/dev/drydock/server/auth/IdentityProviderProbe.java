package dev.drydock.server.auth;

import dev.drydock.server.egress.EgressGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Whether the identity provider (Keycloak) answers right now, so that a person who must sign in is
 * shown a clear page instead of being sent to a login page their browser cannot reach. One GET of the
 * realm's discovery document through the {@link EgressGuard}, with a short connect timeout; the answer
 * is reused for {@link IdentityConfig#signInProbeTtl()}, and only one caller probes at a time (the
 * others take the last answer). Nothing else depends on it: bearer tokens and portal sessions are
 * verified with the keys Quarkus OIDC has cached, without asking Keycloak.
 */
@ApplicationScoped
public class IdentityProviderProbe {
    private static final Logger LOG = Logger.getLogger(IdentityProviderProbe.class);

    /** The last probe's answer. */
    private record Answer(boolean reachable, Instant at) {}

    private final URI configured;
    private final IdentityConfig config;
    private final EgressGuard egress;
    private final Clock clock;
    private final ReentrantLock probing = new ReentrantLock();
    private volatile URI discovery;
    private volatile @Nullable Answer last;

    @Inject
    IdentityProviderProbe(
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl,
            IdentityConfig config,
            EgressGuard egress) {
        this(authServerUrl, config, egress, Clock.systemUTC());
    }

    /** {@code authServerUrl} is the realm's URL, as in {@code quarkus.oidc.auth-server-url}. */
    IdentityProviderProbe(String authServerUrl, IdentityConfig config, EgressGuard egress, Clock clock) {
        String base =
                authServerUrl.endsWith("/") ? authServerUrl.substring(0, authServerUrl.length() - 1) : authServerUrl;
        this.configured = URI.create(base + "/.well-known/openid-configuration");
        this.discovery = configured;
        this.config = config;
        this.egress = egress;
        this.clock = clock;
        // The identity provider is a configured integration, as for the readiness check.
        egress.allowHost(hostOf(configured));
    }

    /** The identity provider's host (and port), as a person reads it on the page. */
    public String host() {
        URI d = discovery;
        return hostOf(d) + (d.getPort() < 0 ? "" : ":" + d.getPort());
    }

    /**
     * Whether the last probe, however old, found the identity provider not answering; never blocks. False
     * before the first probe.
     */
    public boolean lastSaidDown() {
        Answer a = last;
        return a != null && !a.reachable();
    }

    /** Whether {@code location} is a page of the configured identity provider (same scheme, host and port). */
    public boolean isProviderPage(String location) {
        String origin = configured.getScheme() + "://" + configured.getRawAuthority() + "/";
        return location.startsWith(origin);
    }

    /** Whether a probe has an answer younger than the TTL (so {@link #reachable()} will not block). */
    public boolean fresh() {
        Answer a = last;
        return a != null && a.at().plus(config.signInProbeTtl()).isAfter(clock.instant());
    }

    /**
     * Whether the identity provider answered its discovery document with 200, as of at most {@link
     * IdentityConfig#signInProbeTtl()} ago. Blocks for up to {@link IdentityConfig#signInProbeTimeout()}
     * (twice, connect and answer) when the last answer is older: call it off the event loop.
     */
    public boolean reachable() {
        Answer a = last;
        if (a != null && a.at().plus(config.signInProbeTtl()).isAfter(clock.instant())) {
            return a.reachable();
        }
        if (!probing.tryLock()) {
            // another request is probing: take the last answer, or assume reachable before the first one
            return a == null || a.reachable();
        }
        try {
            boolean now = probe();
            if (a != null && a.reachable() != now) {
                if (now) {
                    LOG.infof("identity provider %s answers again: sign-in is available", host());
                } else {
                    LOG.warnf("identity provider %s does not answer: sign-in is unavailable", host());
                }
            } else if (a == null && !now) {
                LOG.warnf("identity provider %s does not answer: sign-in is unavailable", host());
            }
            last = new Answer(now, clock.instant());
            return now;
        } finally {
            probing.unlock();
        }
    }

    private boolean probe() {
        URI d = discovery;
        try {
            return egress.send(
                                    HttpRequest.newBuilder(d)
                                            .timeout(config.signInProbeTimeout())
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding(),
                                    config.signInProbeTimeout(),
                                    "identity provider probe")
                            .statusCode()
                    == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("identity provider probe of %s failed: %s", d, e);
            return false;
        }
    }

    /** Test seam: probe {@code url} instead of the configured discovery document, forgetting the last answer. */
    void probeInstead(URI url) {
        egress.allowHost(hostOf(url));
        discovery = url;
        last = null;
    }

    /** Test seam: back to the configured discovery document, forgetting the last answer. */
    void reset() {
        discovery = configured;
        last = null;
    }

    private static String hostOf(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost();
    }
}
