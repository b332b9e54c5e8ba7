package dev.drydock.server.gateway.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * A model server to connect when the server starts ({@code ./drydock up --model URL [--model-id ID]}):
 * the same as the portal's "Connect a model" form, for the operator who starts the appliance.
 */
@ConfigMapping(prefix = "drydock.startup-model")
public interface StartupModelConfig {
    /** Base URL of an OpenAI-compatible or Ollama server (e.g. {@code http://vllm.internal:8000/v1}); unset: connect nothing. */
    Optional<String> url();

    /** The model to use; unset: the first one the server lists. */
    Optional<String> modelId();

    /** {@code openai-chat} (OpenAI-compatible: vLLM, TGI, llama.cpp, …; {@code openai} is accepted too) or {@code ollama}. */
    @WithDefault("openai-chat")
    String protocol();

    /** Highest data classification the endpoint is cleared for: public, internal, confidential or secret. */
    @WithDefault("internal")
    String clearance();
}
