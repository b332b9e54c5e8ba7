package dev.drydock.server.apikey;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented API key, on its way from {@link ApiKeyAuthentication} to {@link ApiKeyIdentityProvider}. */
public final class ApiKeyRequest extends BaseAuthenticationRequest {
    private final String key;

    ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyRequest[" + (key.length() > 10 ? key.substring(0, 10) + "…" : "…") + "]";
    }
}
