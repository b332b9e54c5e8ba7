/**
 * Personal access tokens ("API keys"): created, listed and revoked by their owner, each with an
 * expiry, accepted on {@code /api} (through {@link dev.drydock.server.apikey.ApiKeyAuthentication})
 * and on the {@code /v1} front door, always with the owner's current workspace roles.
 */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.apikey;
