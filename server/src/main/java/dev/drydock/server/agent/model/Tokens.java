package dev.drydock.server.agent.model;

/** Token estimates without a tokenizer: about four characters per token, rounded up. */
public final class Tokens {
    private Tokens() {}

    public static long estimate(String text) {
        return (text.length() + 3) / 4;
    }
}
