package dev.drydock.server.agent.model;

/**
 * The one way the loop talks to a model: an OpenAI-style chat completion with tools. Implemented by
 * the gateway adapter in production and by a scripted model in tests.
 */
public interface LlmModel {
    /**
     * One model call. Blocks until the reply is complete.
     *
     * @throws ModelUnavailableException when the endpoint cannot be reached or answers with a server
     *     error; the loop retries a bounded number of times
     */
    ModelReply complete(ModelRequest request);
}
