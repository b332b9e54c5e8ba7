package dev.drydock.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cipher of workspace secrets: the key file it creates, and values bound to their workspace and name. */
class SecretCipherTest {
    @Test
    void shouldCreateOwnerOnlyKeyFileWhenNoneExists(@TempDir Path dir) throws Exception {
        // When
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("secrets/workspace-secrets.key"));

        // Then
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("secrets/workspace-secrets.key"))))
                .isEqualTo("rw-------");
        assertThat(cipher.decrypt("demo/a", cipher.encrypt("demo/a", "value"))).isEqualTo("value");
        assertThat(SecretCipher.fromKeyFile(dir.resolve("secrets/workspace-secrets.key"))
                        .keyId())
                .isEqualTo(cipher.keyId());
    }

    @Test
    void shouldRefuseToDecryptWhenCiphertextIsMovedToAnotherWorkspace(@TempDir Path dir) throws Exception {
        // Given
        SecretCipher cipher = SecretCipher.fromKeyFile(dir.resolve("k"));
        byte[] sealed = cipher.encrypt("demo/git-token", "s3cr3t");

        // When
        var thrown = assertThatThrownBy(() -> cipher.decrypt("other/git-token", sealed));

        // Then
        thrown.isInstanceOf(IllegalStateException.class).hasMessageNotContaining("s3cr3t");
    }

    @Test
    void shouldRefuseKeyFileWhenOthersMayReadIt(@TempDir Path dir) throws Exception {
        // Given
        Path key = dir.resolve("k");
        SecretCipher.fromKeyFile(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        // When
        var thrown = assertThatThrownBy(() -> SecretCipher.fromKeyFile(key));

        // Then
        thrown.isInstanceOf(IllegalStateException.class).hasMessageContaining("chmod 600");
    }
}
