package dev.drydock.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/config.md} equal to what the {@code @ConfigMapping} interfaces declare. */
class ConfigReferenceTest {
    private static final Path ROOT = Path.of(System.getProperty("drydock.repo-root", ".."))
            .toAbsolutePath()
            .normalize();
    private static final Path DOC = ROOT.resolve("docs/config.md");

    @Test
    void shouldMatchCommittedConfigReference() throws IOException {
        // Given
        String generated = ConfigReference.render(ROOT);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }

        // When
        String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";

        // Then
        assertThat(committed)
                .as(
                        "docs/config.md is stale: run ./mvnw -pl server test -Dtest=ConfigReferenceTest -Dgolden.update=true")
                .isEqualTo(generated);
    }

    @Test
    void shouldDocumentApplianceKeysWithDefaultsAndJavadoc() {
        // When
        var keys = ConfigReference.scan(ROOT);

        // Then
        assertThat(keys).anySatisfy(k -> {
            assertThat(k.name()).isEqualTo("drydock.appliance.keycloak-port");
            assertThat(k.defaultValue()).isEqualTo("8180");
            assertThat(k.description()).contains("Keycloak");
        });
        assertThat(keys)
                .allSatisfy(k -> assertThat(k.description())
                        .as("javadoc of %s", k.name())
                        .isNotBlank());
    }
}
