/** The OpenAI-compatible front door under /v1 and the per-user API keys that authenticate it. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.frontdoor;
