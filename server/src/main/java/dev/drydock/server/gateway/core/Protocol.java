package dev.drydock.server.gateway.core;

import java.util.Arrays;
import java.util.Optional;

/** The wire protocol an endpoint speaks. */
public enum Protocol {
    /** OpenAI chat completions ({@code POST {base}/chat/completions}, SSE when streaming): vLLM, TGI, llama.cpp, LiteLLM. */
    OPENAI_CHAT("openai-chat"),
    /** Ollama's native chat API ({@code POST {base}/api/chat}, NDJSON when streaming). */
    OLLAMA("ollama");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<Protocol> parse(String text) {
        return Arrays.stream(values()).filter(p -> p.label.equals(text.trim())).findFirst();
    }
}
