package dev.drydock.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Ec2Utils;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** DJL must neither phone home nor download anything. */
class OfflineTokenizersTest {

    @Test
    void shouldNotCallDjlTelemetryWhenCreatingTokenizer() throws Exception {
        // Given the shipped tokenizer file
        byte[] json = TinyOnnxModels.shippedTokenizer();
        // When
        try (HuggingFaceTokenizer tokenizer = OfflineTokenizers.create(json, 32, "test")) {
            // Then the telemetry guard returned early: it never recorded a check-in
            assertThat(lastTelemetryCheckIn()).isZero();
            assertThat(System.getProperty("offline")).isEqualTo("true");
            assertThat(tokenizer.encode("hello world").getIds()).containsExactly(101, 7592, 2088, 102);
        }
    }

    @Test
    void shouldTruncateWithoutPaddingWhenCreated() throws Exception {
        // Given
        byte[] json = TinyOnnxModels.shippedTokenizer();
        // When
        try (HuggingFaceTokenizer tokenizer = OfflineTokenizers.create(json, 8, "test")) {
            // Then
            assertThat(tokenizer.encode("a b c d e f g h i j k l").getIds()).hasSize(8);
            assertThat(tokenizer.encode("a").getIds()).hasSize(3);
        }
    }

    private static long lastTelemetryCheckIn() throws ReflectiveOperationException {
        Field field = Ec2Utils.class.getDeclaredField("lastCheckIn");
        field.setAccessible(true);
        return field.getLong(null);
    }
}
