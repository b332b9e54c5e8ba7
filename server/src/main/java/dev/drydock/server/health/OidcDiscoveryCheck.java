package dev.drydock.server.health;

import dev.drydock.server.egress.EgressGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Keycloak's discovery document for the drydock realm answers. */
@Readiness
@ApplicationScoped
public class OidcDiscoveryCheck implements HealthCheck {
    private final EgressGuard egress;
    private final URI discovery;

    OidcDiscoveryCheck(
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl, EgressGuard egress) {
        String base =
                authServerUrl.endsWith("/") ? authServerUrl.substring(0, authServerUrl.length() - 1) : authServerUrl;
        this.discovery = URI.create(base + "/.well-known/openid-configuration");
        this.egress = egress;
        // The identity provider is a configured integration: its host is allowed like a model endpoint's.
        egress.allowHost(discovery.getHost());
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("oidc-discovery").withData("url", discovery.toString());
        try {
            int status = egress.send(
                            HttpRequest.newBuilder(discovery)
                                    .timeout(Duration.ofSeconds(3))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding(),
                            Duration.ofSeconds(2),
                            "identity provider health")
                    .statusCode();
            return response.status(status == 200).withData("status", status).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        } catch (Exception e) {
            return response.down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
