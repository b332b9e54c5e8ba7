package dev.drydock.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** SHA-256 of model files, and the one place that refuses a file whose checksum differs. */
final class Checksums {
    private Checksums() {}

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Throws when {@code expected} is set and differs from {@code actual}. */
    static void verify(String what, @Nullable String expected, String actual, String setting) {
        if (expected != null && !expected.equals(actual)) {
            throw new ModelLoadException("SHA-256 mismatch for "
                    + what
                    + ": expected "
                    + expected
                    + " ("
                    + setting
                    + "), actual "
                    + actual
                    + ". The file is corrupt or not the model that was approved; refusing to load it.");
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
