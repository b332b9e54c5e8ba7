package dev.drydock.server.gateway.frontdoor;

import dev.drydock.server.gateway.core.Outcome;

/**
 * An error in OpenAI's shape ({@code {"error": {"message", "type", "param", "code"}}}), which is
 * what OpenAI clients parse; the /v1 front door answers nothing else on failure.
 */
public record OpenAiError(int status, String message, String type, String code) {
    public static OpenAiError of(Outcome outcome, String message) {
        return switch (outcome) {
            case UNKNOWN_MODEL -> new OpenAiError(404, message, "invalid_request_error", "model_not_found");
            case INVALID_REQUEST -> new OpenAiError(400, message, "invalid_request_error", "invalid_request");
            case CLASSIFICATION_REFUSED ->
                new OpenAiError(403, message, "permission_denied_error", "classification_refused");
            case DLP_REFUSED -> new OpenAiError(422, message, "invalid_request_error", "secrets_in_prompt");
            case BUDGET_EXCEEDED -> new OpenAiError(429, message, "insufficient_quota", "budget_exceeded");
            case ALL_ENDPOINTS_UNAVAILABLE ->
                new OpenAiError(503, message, "server_error", "all_endpoints_unavailable");
            case UPSTREAM_REJECTED -> new OpenAiError(400, message, "invalid_request_error", "upstream_rejected");
            case CANCELLED -> new OpenAiError(499, message, "cancelled", "cancelled");
            case OK -> new OpenAiError(500, message, "server_error", "internal");
        };
    }

    public static OpenAiError badRequest(String message) {
        return new OpenAiError(400, message, "invalid_request_error", "invalid_request");
    }

    public static OpenAiError unauthorized(String message) {
        return new OpenAiError(401, message, "authentication_error", "invalid_api_key");
    }

    public static OpenAiError forbidden(String message) {
        return new OpenAiError(403, message, "permission_denied_error", "forbidden");
    }

    public static OpenAiError notFound(String message) {
        return new OpenAiError(404, message, "invalid_request_error", "not_found");
    }
}
