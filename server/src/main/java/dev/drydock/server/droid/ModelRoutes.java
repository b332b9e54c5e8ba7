package dev.drydock.server.droid;

import dev.drydock.server.agent.model.LlmModel;
import dev.drydock.server.agent.model.ModelUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;

/**
 * Resolves a profile's model route to an {@link LlmModel}. Today an OpenAI-compatible endpoint per
 * route; the model gateway plugs in here as one more route.
 */
@ApplicationScoped
public class ModelRoutes {
    @Inject DroidConfig config;

    private final HttpClient http = OpenAiCompatibleModel.client();

    public LlmModel model(String route) {
        DroidConfig.Route r = route(route);
        if (r == null) {
            return request -> {
                throw new ModelUnavailableException("no model route '" + route + "' is configured (drydock.droid.routes.\"" + route + "\".base-url)");
            };
        }
        return new OpenAiCompatibleModel(http, r);
    }

    /** The route's context window, or a conservative default when none is configured. */
    public long contextWindow(String route) {
        DroidConfig.Route r = route(route);
        return r == null ? 32_768 : r.contextWindow();
    }

    private DroidConfig.Route route(String name) {
        DroidConfig.Route r = config.routes().get(name);
        return r != null ? r : config.routes().get("default");
    }
}
