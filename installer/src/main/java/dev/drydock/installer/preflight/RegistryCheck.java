package dev.drydock.installer.preflight;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The registry answers the OCI distribution API ({@code GET /v2/}: 200, or 401 when it wants a login)
 * from this machine. Whether nodes reach it is for the image pulls to show.
 */
final class RegistryCheck implements PreflightCheck {
    @Override
    public CheckResult run(KubernetesClient client, PreflightSettings settings) {
        if (settings.registry().isEmpty()) {
            return CheckResult.warn("registry", "no --registry given: not checked");
        }
        String registry = settings.registry().get();
        URI uri = URI.create((settings.plainHttpRegistry() ? "http://" : "https://") + registry + "/v2/");
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        try {
            int status = http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status == 200 || status == 401) {
                return CheckResult.pass("registry", uri + " answers the OCI distribution API (" + status + ")");
            }
            return CheckResult.fail("registry", uri + " answered " + status + ", not an OCI registry's 200 or 401");
        } catch (IOException e) {
            return CheckResult.fail(
                    "registry",
                    "cannot reach " + uri + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail("registry", "interrupted while reaching " + uri);
        }
    }
}
