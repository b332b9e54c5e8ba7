package dev.drydock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each key's documented default is the default {@link SandboxOptions} uses, and every key read is declared. */
class SandboxKeyTest {
    @Test
    void shouldReadTheDefaultOptionsWhenEveryKeyHasItsDocumentedDefault() {
        // Given
        List<String> asked = new ArrayList<>();

        // When
        SandboxOptions fromDocumented = SandboxOptions.fromConfig(key -> {
            asked.add(key);
            return SandboxKey.of(key).flatMap(SandboxKey::defaultValue);
        });

        // Then
        assertThat(fromDocumented).isEqualTo(SandboxOptions.defaults());
        assertThat(asked).allMatch(k -> SandboxKey.of(k).isPresent());
        assertThat(asked.stream().distinct()).hasSameSizeAs(SandboxKey.values());
    }

    @Test
    void shouldNameTheKeyWhenItsValueIsInvalid() {
        // When / Then
        assertThatThrownBy(() -> SandboxOptions.fromConfig(
                        key -> key.equals(SandboxKey.MEMORY.key()) ? Optional.of("lots") : Optional.empty()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("drydock.sandbox.memory");
    }
}
