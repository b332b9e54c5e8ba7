package dev.drydock.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading model folders, their checksums and their errors; pipeline arithmetic on an echo model. */
class ModelFolderTest {
    private static final InferenceOptions OPTIONS = new InferenceOptions(1, 4, 0);
    private static byte[] tokenizer;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTokenizer() throws IOException {
        tokenizer = TinyOnnxModels.shippedTokenizer();
    }

    @Test
    void shouldMeanPoolOverRealTokensWhenModelHasNoTokenTypeIds() throws IOException {
        // Given an echo encoder (token vector = [id, mask]) without token_type_ids
        Path folder = TinyOnnxModels.folder(
                dir.resolve("echo"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=mean\n");
        // When "hello" ([CLS] hello [SEP] = 101, 7592, 102) shares a batch with a longer text
        float[][] vectors;
        try (EmbeddingModel model = EmbeddingModels.load(folder, OPTIONS)) {
            vectors = model.embed(List.of("hello", "hello world, this text is much longer than the first one"));
        }
        // Then padding is ignored: the mean id is (101 + 7592 + 102) / 3, the mean mask 1
        assertThat(vectors[0]).containsExactly(unit((101 + 7592 + 102) / 3f, 1f), within(1e-6f));
    }

    @Test
    void shouldTakeFirstTokenWhenPoolingIsCls() throws IOException {
        // Given an echo encoder with token_type_ids and CLS pooling
        Path folder = TinyOnnxModels.folder(
                dir.resolve("cls"), TinyOnnxModels.echoEncoder(true), tokenizer, "pooling=cls\nid=echo-cls\n");
        // When
        float[][] vectors;
        try (EmbeddingModel model = EmbeddingModels.load(folder, OPTIONS)) {
            vectors = model.embed(List.of("anything at all"));
        }
        // Then [CLS] = 101, mask 1, token type 0
        assertThat(vectors[0]).containsExactly(unit(101f, 1f, 0f), within(1e-6f));
    }

    @Test
    void shouldEqualOneByOneResultsExactlyWhenModelIsNotQuantized() throws IOException {
        // Given texts of many lengths, in batches of 4 that get sorted and padded
        Path folder = TinyOnnxModels.folder(
                dir.resolve("exact"), TinyOnnxModels.echoEncoder(true), tokenizer, "pooling=mean\n");
        List<String> texts = ShippedModelTest.codeLikeTexts(new Random(3), 11);
        try (EmbeddingModel model = EmbeddingModels.load(folder, OPTIONS)) {
            // When
            float[][] batched = model.embed(texts);
            // Then
            for (int i = 0; i < texts.size(); i++) {
                assertThat(batched[i]).as("text %d", i).containsExactly(model.embed(List.of(texts.get(i)))[0]);
            }
        }
    }

    @Test
    void shouldCapTokensWhenOptionsAskForFewer() throws IOException {
        // Given a model trained for 512 tokens, and options capping at 16
        Path folder = TinyOnnxModels.folder(
                dir.resolve("cap"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=cls\nmax-tokens=512\n");
        // When
        try (EmbeddingModel model = EmbeddingModels.load(folder, OPTIONS.withMaxTokens(16))) {
            // Then
            assertThat(model.maxTokens()).isEqualTo(16);
        }
    }

    @Test
    void shouldRefuseModelWhenSha256Differs() throws IOException {
        // Given
        String wrong = "ab".repeat(32);
        Path folder = TinyOnnxModels.folder(
                dir.resolve("sha"),
                TinyOnnxModels.echoEncoder(false),
                tokenizer,
                "pooling=mean\nsha256=" + wrong + "\n");
        String actual = Checksums.sha256(folder.resolve("model.onnx"));
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("SHA-256 mismatch")
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("actual " + actual);
    }

    @Test
    void shouldLoadModelWhenSha256Matches() throws IOException {
        // Given
        byte[] onnx = TinyOnnxModels.echoEncoder(false);
        String settings = "pooling=mean\nsha256=" + Checksums.sha256(onnx) + "\ntokenizer-sha256="
                + Checksums.sha256(tokenizer) + "\n";
        Path folder = TinyOnnxModels.folder(dir.resolve("pinned"), onnx, tokenizer, settings);
        // When
        try (EmbeddingModel model = EmbeddingModels.load(folder, OPTIONS)) {
            // Then
            assertThat(model.id()).isEqualTo("pinned");
        }
    }

    @Test
    void shouldRefuseShippedModelWhenRecordedSha256Differs() {
        // Given a descriptor of the shipped files with a wrong checksum
        String descriptor = "dev/drydock/inference/tampered-model.properties";
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.loadFromClasspath(descriptor, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("expected " + "0".repeat(64))
                .hasMessageContaining("actual afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1");
    }

    @Test
    void shouldNameMissingFileWhenFolderIsIncomplete() throws IOException {
        // Given a folder without tokenizer.json
        Path folder = TinyOnnxModels.folder(
                dir.resolve("partial"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=mean\n");
        Files.delete(folder.resolve("tokenizer.json"));
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("has no tokenizer.json");
    }

    @Test
    void shouldSayFolderIsMissingWhenPathDoesNotExist() {
        // Given
        Path missing = dir.resolve("nowhere");
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(missing, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldListInputsWhenModelIsNotBertStyle() throws IOException {
        // Given a model whose input is called "tokens"
        Path folder =
                TinyOnnxModels.folder(dir.resolve("wrong"), TinyOnnxModels.wrongInputs(), tokenizer, "pooling=mean\n");
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("inputs are [tokens]")
                .hasMessageContaining("input_ids, attention_mask");
    }

    @Test
    void shouldRefuseSettingsWhenPoolingIsUnknown() throws IOException {
        // Given
        Path folder = TinyOnnxModels.folder(
                dir.resolve("max"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=max\n");
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("pooling must be 'mean' or 'cls', was 'max'");
    }

    @Test
    void shouldRefuseSettingsWhenKeyIsMisspelled() throws IOException {
        // Given
        Path folder = TinyOnnxModels.folder(
                dir.resolve("typo"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=mean\nmax_tokens=128\n");
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("unknown keys [max_tokens]");
    }

    @Test
    void shouldRefuseSettingsWhenDimensionsDisagreeWithModel() throws IOException {
        // Given an echo model (2 dimensions) declared as 384
        Path folder = TinyOnnxModels.folder(
                dir.resolve("dims"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=mean\ndimensions=384\n");
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("'dimensions' is 384 but the model outputs 2-dimensional vectors");
    }

    @Test
    void shouldRefuseSettingsWhenMaxTokensIsNotANumber() throws IOException {
        // Given
        Path folder = TinyOnnxModels.folder(
                dir.resolve("nan"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=mean\nmax-tokens=lots\n");
        // When / Then
        assertThatThrownBy(() -> EmbeddingModels.load(folder, OPTIONS))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("'max-tokens' must be a whole number, was 'lots'");
    }

    @Test
    void shouldRefuseCallsWhenModelIsClosed() throws IOException {
        // Given
        Path folder = TinyOnnxModels.folder(
                dir.resolve("closed"), TinyOnnxModels.echoEncoder(false), tokenizer, "pooling=mean\n");
        EmbeddingModel model = EmbeddingModels.load(folder, OPTIONS);
        model.close();
        // When / Then
        assertThatThrownBy(() -> model.embed(List.of("late")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static float[] unit(float... values) {
        double norm = 0;
        for (float v : values) {
            norm += (double) v * v;
        }
        float[] unit = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            unit[i] = (float) (values[i] / Math.sqrt(norm));
        }
        return unit;
    }
}
