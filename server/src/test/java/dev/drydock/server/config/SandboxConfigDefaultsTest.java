package dev.drydock.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.sandbox.SandboxOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The documented {@code drydock.sandbox.*} keys (SandboxConfig) are the keys sandbox-manager reads, with its defaults. */
class SandboxConfigDefaultsTest {
    private static final Path ROOT = Path.of(System.getProperty("drydock.repo-root", ".."))
            .toAbsolutePath()
            .normalize();

    /**
     * Keys under {@code drydock.sandbox.} that the server reads itself, not sandbox-manager: the server
     * chooses each workspace's dependency cache folder and passes it in the sandbox's spec.
     */
    private static final java.util.Set<String> SERVER_ONLY =
            java.util.Set.of("drydock.sandbox.local.dependency-caches");

    @Test
    void shouldDocumentEverySandboxKeyWithTheDefaultSandboxManagerUses() throws Exception {
        // Given
        List<ConfigReference.Key> documented = ConfigReference.scan(ROOT).stream()
                .filter(k -> k.name().startsWith(SandboxOptions.Keys.PREFIX))
                .filter(k -> !SERVER_ONLY.contains(k.name()))
                .toList();
        Map<String, String> defaults = documented.stream()
                .filter(k -> !k.defaultValue().isEmpty())
                .collect(Collectors.toMap(ConfigReference.Key::name, ConfigReference.Key::defaultValue));
        List<String> read = new ArrayList<>();
        for (Field f : SandboxOptions.Keys.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().equals("PREFIX")) {
                read.add((String) f.get(null));
            }
        }

        // When
        SandboxOptions fromDocumentedDefaults =
                SandboxOptions.fromConfig(key -> Optional.ofNullable(defaults.get(key)));

        // Then
        assertThat(documented).extracting(ConfigReference.Key::name).containsExactlyInAnyOrderElementsOf(read);
        assertThat(fromDocumentedDefaults).isEqualTo(SandboxOptions.defaults());
    }
}
