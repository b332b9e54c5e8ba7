package dev.drydock.server.gateway.core;

/** Where a request's token counts come from; recorded with every request. */
public enum TokenSource {
    /** The model server reported them ({@code usage}, or Ollama's eval counts). */
    USAGE("usage"),
    /** The gateway counted them with the endpoint's own tokenizer file. */
    TOKENIZER("tokenizer"),
    /** The gateway estimated them ({@link TokenCounter}): no usage and no tokenizer configured. */
    ESTIMATE("estimate");

    private final String label;

    TokenSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
