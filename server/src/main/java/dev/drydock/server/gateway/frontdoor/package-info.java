/** The OpenAI-compatible front door under /v1 (callers authenticate with an access token or an API key). */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.frontdoor;
