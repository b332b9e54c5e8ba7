package dev.drydock.server.droid;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Droid profiles, model routes and the git mirrors droids work on. */
@ConfigMapping(prefix = "drydock.droid")
public interface DroidConfig {
    /** Directory of admin-provided profile overrides ({@code <name>.yaml}) and prompt templates; built-ins otherwise. */
    Optional<Path> profilesDir();

    /** Directory holding the server's git mirrors of repositories: one bare or plain git directory per repository, named after it (with or without .git). */
    @WithDefault(".drydock/mirrors")
    Path mirrorRoot();

    /** A code search index (built by ./drydock index) used by search_code for the repositories it holds; grep otherwise. */
    Optional<Path> indexDir();

    /**
     * Model routes by alias; a profile names its route and {@code default} is the fallback. Each route
     * has the keys base-url (OpenAI-compatible, up to /v1), model, api-key, context-window,
     * prompt-cost-per-million, completion-cost-per-million and timeout, e.g.
     * drydock.droid.routes.default.base-url. No route: sessions end MODEL_UNAVAILABLE.
     */
    Map<String, Route> routes();

    /** One OpenAI-compatible endpoint. */
    interface Route {
        /** Base URL up to {@code /v1}, e.g. {@code http://gateway:8080/v1}. */
        String baseUrl();

        /** Model name sent in requests. */
        @WithDefault("default")
        String model();

        /** Bearer token, if the endpoint needs one. */
        Optional<String> apiKey();

        /** The endpoint's context window in tokens; the context budget is computed from it. */
        @WithDefault("32768")
        long contextWindow();

        /** Cost per million prompt tokens, in micro-units of the currency. */
        @WithDefault("0")
        long promptCostPerMillion();

        /** Cost per million completion tokens, in micro-units of the currency. */
        @WithDefault("0")
        long completionCostPerMillion();

        /** Request timeout. */
        @WithDefault("PT120S")
        java.time.Duration timeout();
    }
}
