package dev.drydock.cli.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code ./drydock login} keeps between commands: one signed-in server and its tokens, in a file
 * only its owner can read ({@code 0600}). Location: {@code DRYDOCK_CREDENTIALS}, else
 * {@code ~/.config/drydock/credentials.json}.
 */
public record Credentials(
        String server,
        String issuer,
        String clientId,
        String tokenEndpoint,
        String revocationEndpoint,
        String username,
        String accessToken,
        Instant accessExpiresAt,
        String refreshToken) {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    /** The credentials file of this user. */
    public static Path file() {
        String configured = System.getProperty("drydock.credentials", System.getenv("DRYDOCK_CREDENTIALS"));
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".config", "drydock", "credentials.json");
    }

    public static Optional<Credentials> load() {
        Path file = file();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Credentials.class));
        } catch (IOException e) {
            throw new CliException(
                    "cannot read " + file + " (" + e.getMessage() + "); run './drydock logout' and sign in again",
                    CliExit.DATA);
        }
    }

    /** Writes the file with owner-only permissions, replacing any earlier one atomically. */
    public void save() {
        Path file = file();
        try {
            Path dir = Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(
                    dir,
                    ".credentials-",
                    ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), this);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), CliExit.DATA);
        }
    }

    public static boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new CliException("cannot delete " + file() + ": " + e.getMessage(), CliExit.DATA);
        }
    }

    Credentials withTokens(String access, Instant expiresAt, String refresh) {
        return new Credentials(
                server, issuer, clientId, tokenEndpoint, revocationEndpoint, username, access, expiresAt, refresh);
    }

    /** Never print tokens. */
    @Override
    public String toString() {
        return "Credentials[server=" + server + ", username=" + username + "]";
    }
}
