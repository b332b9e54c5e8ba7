package dev.drydock.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The claims a JWT carries, read without checking its signature: only for labels (why a token was
 * refused, whom the CLI just signed in), never for a decision. Decisions use {@link CurrentUser}.
 */
public final class UnverifiedJwt {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UnverifiedJwt() {}

    /** The payload object, or empty when {@code token} is not a three-part JWT with a JSON payload. */
    public static Optional<JsonNode> payload(@Nullable String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
