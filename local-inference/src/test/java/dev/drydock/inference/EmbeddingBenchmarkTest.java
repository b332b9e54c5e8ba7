package dev.drydock.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline-vs-raw benchmark, on the tiny echo model so that it runs in milliseconds. */
class EmbeddingBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void shouldMeasureBothPathsOnSameBatchesWhenRun() throws IOException {
        // Given 10 texts in batches of 4
        Path folder = TinyOnnxModels.folder(
                dir.resolve("echo"),
                TinyOnnxModels.echoEncoder(true),
                TinyOnnxModels.shippedTokenizer(),
                "pooling=mean\n");
        List<String> texts = ShippedModelTest.codeLikeTexts(new Random(11), 10);
        try (EmbeddingModel model = EmbeddingModels.load(folder, new InferenceOptions(1, 4, 0))) {
            // When
            EmbeddingBenchmark.Result result = EmbeddingBenchmark.measure(model, texts, 1, 2);
            // Then
            assertThat(result.texts()).isEqualTo(10);
            assertThat(result.batches()).isEqualTo(3);
            assertThat(result.paddedTokens())
                    .isGreaterThanOrEqualTo(result.realTokens())
                    .isPositive();
            assertThat(result.pipelineSeconds()).isPositive();
            assertThat(result.rawSeconds()).isPositive();
            assertThat(result.ratio()).isEqualTo(result.pipelinePerSecond() / result.rawPerSecond(), within(1e-9));
            assertThat(result.medianBatchRatio()).isPositive();
        }
    }

    @Test
    void shouldRefuseModelWhenNotLoadedByEmbeddingModels() {
        // Given a model from elsewhere
        EmbeddingModel foreign = new EmbeddingModel() {
            @Override
            public String id() {
                return "foreign";
            }

            @Override
            public int dimensions() {
                return 1;
            }

            @Override
            public int maxTokens() {
                return 2;
            }

            @Override
            public float[][] embed(List<String> texts) {
                return new float[texts.size()][1];
            }

            @Override
            public void close() {}
        };
        // When / Then
        assertThatThrownBy(() -> EmbeddingBenchmark.measure(foreign, List.of("x"), 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only models loaded by EmbeddingModels");
    }
}
