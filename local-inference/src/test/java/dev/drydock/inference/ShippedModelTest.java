package dev.drydock.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped all-MiniLM-L6-v2 int8 model, run for real through ONNX Runtime. */
class ShippedModelTest {
    private static EmbeddingModel model;

    @BeforeAll
    static void loadModel() {
        model = EmbeddingModels.loadDefault(new InferenceOptions(1, 8, 0));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void shouldDescribeItselfWhenLoadedFromTheBuild() {
        // Given the shipped model
        // When
        String id = model.id();
        // Then
        assertThat(id).isEqualTo("all-minilm-l6-v2-q");
        assertThat(model.dimensions()).isEqualTo(384);
        assertThat(model.maxTokens()).isEqualTo(256);
    }

    @Test
    void shouldPlaceRelatedTextsCloserWhenTopicsDiffer() {
        // Given
        List<String> texts = List.of(
                "How do I open a database connection pool?",
                "Create a JDBC connection pool for the database",
                "The cat sat on the warm windowsill in the sun");
        // When
        float[][] vectors = model.embed(texts);
        // Then
        double related = dot(vectors[0], vectors[1]);
        double unrelated = dot(vectors[0], vectors[2]);
        assertThat(related).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void shouldReturnUnitVectorsWhenEmbeddingAnyText() {
        // Given
        List<String> texts = List.of("", " ", "x", "public static void main(String[] args) {}", "日本語のテキスト");
        // When
        float[][] vectors = model.embed(texts);
        // Then
        assertThat(vectors).hasNumberOfRows(texts.size());
        for (float[] vector : vectors) {
            assertThat(vector).hasSize(384);
            assertThat(dot(vector, vector)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void shouldReturnEmptyArrayWhenNoTexts() {
        // Given no texts
        // When
        float[][] vectors = model.embed(List.of());
        // Then
        assertThat(vectors).isEmpty();
    }

    @Test
    void shouldMatchOneByOneResultsWhenEmbeddingInBatches() {
        // Given texts of very different lengths, in a shuffled order (seed printed on failure)
        long seed = 20_261_125L;
        List<String> texts = codeLikeTexts(new Random(seed), 21);
        // When
        float[][] batched = model.embed(texts);
        // Then: the int8 model quantizes activations per batch (DynamicQuantizeLinear), so batch
        // mates shift a vector slightly (measured cosine 0.96-1.0, mean 0.99); exact equality of
        // batched and single results is asserted with an unquantized model in ModelFolderTest
        double sum = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = model.embed(List.of(texts.get(i)))[0];
            double cosine = dot(batched[i], alone);
            assertThat(cosine).as("text %d, seed %d", i, seed).isGreaterThan(0.95);
            sum += cosine;
        }
        assertThat(sum / texts.size()).as("mean cosine, seed %d", seed).isGreaterThan(0.985);
    }

    @Test
    void shouldTruncateWhenTextIsLongerThanMaxTokens() {
        // Given a text of about 3,000 tokens, and its first part alone
        String head = "alpha beta gamma delta ".repeat(60);
        String longText = head + "omega ".repeat(3_000);
        // When
        float[][] vectors = model.embed(List.of(longText, head + "omega ".repeat(100)));
        // Then both are cut at 256 tokens, which both reach with the same first 256 tokens
        assertThat(dot(vectors[0], vectors[1])).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void shouldRefuseNullElementWhenEmbedding() {
        // Given
        List<String> texts = new ArrayList<>();
        texts.add("fine");
        texts.add(null);
        // When / Then
        assertThatThrownBy(() -> model.embed(texts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("texts[1]");
    }

    @Test
    void shouldGiveSameVectorsWhenCalledFromManyThreads() throws Exception {
        // Given
        List<String> texts = List.of("class A {}", "void run() { loop(); }", "SELECT 1;", "// a comment", "x = y + z");
        float[][] expected = model.embed(texts);
        List<Callable<float[][]>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(() -> model.embed(texts));
        }
        // When
        List<Future<float[][]>> results;
        try (ExecutorService pool = Executors.newFixedThreadPool(
                4, Thread.ofPlatform().name("embed-test-", 0).factory())) {
            results = pool.invokeAll(calls);
        }
        // Then
        for (Future<float[][]> result : results) {
            float[][] vectors = result.get();
            for (int i = 0; i < texts.size(); i++) {
                assertThat(vectors[i]).containsExactly(expected[i], within(1e-5f));
            }
        }
    }

    static List<String> codeLikeTexts(Random random, int count) {
        String[] lines = {
            "public final class OrderService {",
            "    private final OrderRepository repository;",
            "    return repository.findById(id).orElseThrow(() -> new NotFoundException(id));",
            "    @Transactional void cancel(OrderId id) { orders.get(id).cancel(clock.instant()); }",
            "def parse_config(path):\n    with open(path) as f:\n        return yaml.safe_load(f)",
            "SELECT id, name FROM customers WHERE created_at > now() - interval '7 days';",
            "// Retries the request with exponential backoff until the deadline passes.",
            "}",
        };
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(i % 3 == 0 ? 40 : 6);
            for (int j = 0; j < n; j++) {
                text.append(lines[random.nextInt(lines.length)]).append('\n');
            }
            texts.add(text.toString());
        }
        return texts;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
