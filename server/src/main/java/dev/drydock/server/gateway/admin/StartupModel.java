package dev.drydock.server.gateway.admin;

import dev.drydock.server.gateway.admin.ModelEndpointResource.EndpointInput;
import dev.drydock.server.gateway.core.ModelProbe;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Connects the model named by {@code ./drydock up --model URL} once the server runs: probes it (in the
 * background, so a slow model server does not hold up start-up), stores it as an endpoint unless one
 * with the same URL and model exists, and routes everything to it when no route exists yet. The
 * outcome is one log line; the portal's Models page shows the endpoint and its state.
 */
@ApplicationScoped
public class StartupModel {
    private static final Logger LOG = Logger.getLogger(StartupModel.class);
    static final String ACTOR = "drydock-up";

    @Inject
    StartupModelConfig config;

    @Inject
    ModelEndpoints endpoints;

    void connect(@Observes StartupEvent event) {
        config.url().ifPresent(url -> Thread.ofVirtual().name("startup-model").start(() -> connect(url)));
    }

    /** Returns the endpoint's name once connected, or empty when it could not be (the reason is logged). */
    Optional<String> connect(String url) {
        String modelId = config.modelId().filter(m -> !m.isBlank()).orElse(null);
        EndpointInput input = input(url, modelId);
        try {
            if (modelId == null) {
                ModelProbe.Report report = endpoints.probe(ACTOR, "./drydock up --model", input);
                if (report.model() == null) {
                    LOG.warnf("up --model %s: the server lists no model; give one with --model-id", url);
                    return Optional.empty();
                }
                modelId = report.model();
                input = input(url, modelId);
            }
            String model = modelId;
            Optional<ModelEndpointResource.EndpointView> existing = endpoints.list().stream()
                    .filter(e -> e.baseUrl().equals(url.strip()) && e.modelId().equals(model))
                    .findFirst();
            String name = existing.map(ModelEndpointResource.EndpointView::name).orElse(null);
            if (name == null) {
                name = nameFor(url);
                endpoints.save(ACTOR, name, input);
            }
            String host = URI.create(url.strip()).getHost();
            if (host != null && !endpoints.reachable(host)) {
                endpoints.allowHost(ACTOR, ACTOR, host, "./drydock up --model " + url.strip());
            }
            boolean routed = endpoints.ensureDefaultRoute(ACTOR, name).isPresent();
            LOG.infof(
                    "up --model: endpoint '%s' (%s, model %s)%s%s",
                    name,
                    url,
                    model,
                    existing.isPresent() ? " already connected" : " connected",
                    routed ? "; every request routes to it" : "");
            return Optional.of(name);
        } catch (ProblemException e) {
            LOG.warnf("up --model %s: not connected: %s", url, e.problem().detail());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warnf("up --model %s: not connected: %s", url, e.getMessage());
            return Optional.empty();
        }
    }

    private EndpointInput input(String url, @org.jspecify.annotations.Nullable String modelId) {
        String protocol = config.protocol().strip().equalsIgnoreCase("openai")
                ? "openai-chat"
                : config.protocol().strip();
        return new EndpointInput(
                url.strip(),
                protocol,
                modelId,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                config.clearance(),
                null);
    }

    /** An endpoint name from the URL's host: {@code http://vllm.corp:8000/v1} → {@code vllm-corp}. */
    static String nameFor(String url) {
        String host;
        try {
            host = Optional.ofNullable(URI.create(url.strip()).getHost()).orElse("model");
        } catch (IllegalArgumentException e) {
            host = "model";
        }
        String name =
                host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "model" : name.length() > 60 ? name.substring(0, 60) : name;
    }
}
