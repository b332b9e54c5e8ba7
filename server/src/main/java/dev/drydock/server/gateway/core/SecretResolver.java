package dev.drydock.server.gateway.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Resolves an endpoint's {@code secretRef} at call time: {@code env:VAR} reads an environment
 * variable, {@code file:/path} a file (a mounted Kubernetes Secret). Values are never logged.
 */
@FunctionalInterface
public interface SecretResolver {
    @Nullable String resolve(@Nullable String secretRef);

    /** The environment and files. */
    SecretResolver DEFAULT = ref -> {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        if (ref.startsWith("env:")) {
            return System.getenv(ref.substring(4));
        }
        if (ref.startsWith("file:")) {
            try {
                return Files.readString(Path.of(ref.substring(5)), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    };
}
