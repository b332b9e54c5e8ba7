package dev.drydock.server.gateway.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves an endpoint's {@code secretRef} at call time. Values are never logged. {@link #limited}
 * is the server's resolver: {@code env:VAR} reads only variables with a configured prefix, {@code
 * file:/path} only files inside a configured folder, so a drydock-admin cannot make the gateway read
 * (and send to a model server) the database password, the OIDC client secret or any host file.
 */
@FunctionalInterface
public interface SecretResolver {
    @Nullable
    String resolve(@Nullable String secretRef);

    /** Why this resolver refuses to read {@code secretRef} at all (not merely that it is unset), or empty. */
    default Optional<String> refusal(@Nullable String secretRef) {
        return Optional.empty();
    }

    /** Resolves nothing (tests and endpoints without a credential). */
    SecretResolver NONE = ref -> null;

    /**
     * Environment variables whose name starts with {@code envPrefix} and regular files inside {@code
     * secretsDir} (after following links); nothing else. A {@code null} folder refuses every file
     * reference, a blank prefix every variable.
     */
    static SecretResolver limited(@Nullable Path secretsDir, String envPrefix) {
        return new SecretResolver() {
            @Override
            public Optional<String> refusal(@Nullable String ref) {
                if (ref == null || ref.isBlank()) {
                    return Optional.empty();
                }
                if (ref.startsWith("env:")) {
                    String name = ref.substring(4);
                    if (envPrefix.isBlank()) {
                        return Optional.of(
                                "env: references are switched off (drydock.gateway.secret-env-prefix is blank); use file: in the secrets folder");
                    }
                    if (!name.startsWith(envPrefix) || name.length() == envPrefix.length()) {
                        return Optional.of("env: may only name variables starting with " + envPrefix
                                + " (drydock.gateway.secret-env-prefix), e.g. env:" + envPrefix + "OPENAI");
                    }
                    return Optional.empty();
                }
                if (ref.startsWith("file:")) {
                    if (secretsDir == null) {
                        return Optional.of(
                                "file: references are switched off: no secrets folder is configured (drydock.gateway.secrets-dir)");
                    }
                    Optional<Path> file = inside(ref.substring(5));
                    return file.isPresent()
                            ? Optional.empty()
                            : Optional.of("file: must name a file inside the secrets folder " + secretsDir
                                    + " (drydock.gateway.secrets-dir)");
                }
                return Optional.of("must be env:VARIABLE or file:/absolute/path");
            }

            @Override
            public @Nullable String resolve(@Nullable String ref) {
                if (ref == null || ref.isBlank() || refusal(ref).isPresent()) {
                    return null;
                }
                if (ref.startsWith("env:")) {
                    return System.getenv(ref.substring(4));
                }
                try {
                    Path file = inside(ref.substring(5)).orElse(null);
                    return file == null || !Files.isRegularFile(file)
                            ? null
                            : Files.readString(file, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    return null;
                }
            }

            /** The real path of {@code path} when it lies inside the secrets folder (a missing file is judged by its name). */
            private Optional<Path> inside(String path) {
                if (secretsDir == null) {
                    return Optional.empty();
                }
                try {
                    Path requested = Path.of(path);
                    if (!requested.isAbsolute()) {
                        return Optional.empty();
                    }
                    Path root = Files.exists(secretsDir)
                            ? secretsDir.toRealPath()
                            : secretsDir.toAbsolutePath().normalize();
                    Path real = Files.exists(requested) ? requested.toRealPath() : requested.normalize();
                    return real.startsWith(root) && !real.equals(root) ? Optional.of(real) : Optional.empty();
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
