/** Tests of the model gateway, driven by a scripted OpenAI-compatible model server. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway;
