package dev.drydock.server.appliance;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Secrets the appliance generates on first start, kept in {@code $DRYDOCK_HOME/secrets.properties}
 * readable by the owner only. Never logged.
 */
public final class Secrets {
    /** The secret of the {@code drydock-server} client (Keycloak Admin API reads for API keys). */
    public static final String SERVER_CLIENT_SECRET = "server.client-secret";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Properties values = new Properties();

    private Secrets(Path file) {
        this.file = file;
    }

    /** Loads the file, or starts an empty set when it does not exist yet. */
    public static Secrets load(Path file) {
        Secrets secrets = new Secrets(file);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                secrets.values.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return secrets;
    }

    /** The secret under {@code key}, generated (and saved) when absent. */
    public String getOrCreate(String key) {
        String value = values.getProperty(key);
        if (value == null) {
            value = generate();
            values.setProperty(key, value);
            save();
        }
        return value;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public void put(String key, String value) {
        values.setProperty(key, value);
        save();
    }

    /** 32 random bytes, URL-safe base64 (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                values.store(out, "Drydock appliance secrets. Keep private.");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
