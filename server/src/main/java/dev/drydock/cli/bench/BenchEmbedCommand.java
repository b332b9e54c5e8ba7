package dev.drydock.cli.bench;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.inference.EmbeddingBenchmark;
import dev.drydock.inference.EmbeddingModel;
import dev.drydock.inference.EmbeddingModels;
import dev.drydock.inference.InferenceOptions;
import dev.drydock.inference.ModelLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock bench embed}: embedding throughput of the full pipeline (tokenize, batch, infer,
 * pool, normalise) against a raw ONNX Runtime session on the same pre-tokenised batches, measured
 * in the same run on code chunks cut from Java sources. The last line of output is one JSON
 * object: {@code {"pipeline_per_s": …, "raw_per_s": …, "ratio": …}}.
 */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = {
            "Embedding throughput: the full pipeline vs a raw ONNX Runtime session on the same batches.",
            "The last line is {\"pipeline_per_s\": ..., \"raw_per_s\": ..., \"ratio\": ...}."
        })
public final class BenchEmbedCommand implements Callable<Integer> {
    /** Lines per code chunk cut from a source file (the syntax chunker's chunks are of this order). */
    static final int CHUNK_LINES = 30;

    private static final int CHUNK_CHARS = 4_000;
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Set<String> SKIPPED_DIRS =
            Set.of("target", "build", "node_modules", ".git", ".idea", ".drydock");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "ONNX model folder (model.onnx, tokenizer.json, drydock-model.properties); default: the model shipped in the build")
    @Nullable
    Path modelDir;

    @Option(
            names = "--corpus",
            paramLabel = "DIR",
            defaultValue = ".",
            description =
                    "Folder whose .java files are cut into 30-line chunks (default: the current folder, the repo's own sources)")
    Path corpus = Path.of(".");

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: half the cores)")
    int threads = InferenceOptions.defaults().threads();

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "32",
            description = "Texts per ONNX Runtime call (default: ${DEFAULT-VALUE})")
    int batch = InferenceOptions.DEFAULT_BATCH_SIZE;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "256",
            description = "Code chunks embedded per round (default: ${DEFAULT-VALUE})")
    int count = 256;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "2",
            description = "Timed rounds over all chunks (default: ${DEFAULT-VALUE})")
    int rounds = 2;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "2",
            description = "Untimed warmup rounds over the first batches (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            defaultValue = "0",
            description = "Cap on tokens per chunk; 0 = the model's own limit (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Override
    public Integer call() {
        InferenceOptions options = options();
        if (count < 1 || rounds < 1 || warmup < 0) {
            throw new CliException("--count and --rounds must be at least 1, --warmup at least 0", CliExit.USAGE);
        }
        CodeChunks chunks = CodeChunks.read(corpus, count);
        PrintWriter out = spec.commandLine().getOut();
        try (EmbeddingModel model = load(options)) {
            out.printf(
                    Locale.ROOT,
                    "Embedding throughput: model %s (%d dimensions, %d max tokens), %d thread%s, batch %d%n",
                    model.id(),
                    model.dimensions(),
                    model.maxTokens(),
                    options.threads(),
                    options.threads() == 1 ? "" : "s",
                    options.batchSize());
            out.printf(
                    Locale.ROOT,
                    "Corpus: %s: %d files, %d chunks of up to %d lines%s; %d timed round%s after %d warmup round%s%n",
                    chunks.root(),
                    chunks.files(),
                    chunks.distinct(),
                    CHUNK_LINES,
                    chunks.texts().size() > chunks.distinct()
                            ? " (repeated to " + chunks.texts().size() + ")"
                            : "",
                    rounds,
                    rounds == 1 ? "" : "s",
                    warmup,
                    warmup == 1 ? "" : "s");
            out.flush();
            EmbeddingBenchmark.Result result = EmbeddingBenchmark.measure(model, chunks.texts(), warmup, rounds);
            print(out, result);
        }
        return CliExit.OK;
    }

    private InferenceOptions options() {
        try {
            return new InferenceOptions(threads, batch, maxTokens);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliExit.USAGE);
        }
    }

    private EmbeddingModel load(InferenceOptions options) {
        try {
            return modelDir == null ? EmbeddingModels.loadDefault(options) : EmbeddingModels.load(modelDir, options);
        } catch (ModelLoadException e) {
            throw new CliException("cannot load the embedding model: " + e.getMessage(), CliExit.DATA, e);
        }
    }

    private static void print(PrintWriter out, EmbeddingBenchmark.Result result) {
        double texts = (double) result.texts() * result.rounds();
        double realTokens = (double) result.realTokens() * result.rounds();
        out.printf(
                Locale.ROOT,
                "Tokens per chunk: %.1f real, %.1f as run (padding %.1f%%), %d batches per round%n%n",
                result.realTokens() / (double) result.texts(),
                result.paddedTokens() / (double) result.texts(),
                100.0 * (result.paddedTokens() - result.realTokens()) / result.paddedTokens(),
                result.batches());
        out.printf(Locale.ROOT, "%-44s %10s %12s %10s%n", "path", "texts/s", "tokens/s", "seconds");
        out.printf(
                Locale.ROOT,
                "%-44s %10.1f %12.0f %10.2f%n",
                "pipeline (tokenize, batch, infer, pool, norm)",
                result.pipelinePerSecond(),
                realTokens / result.pipelineSeconds(),
                result.pipelineSeconds());
        out.printf(
                Locale.ROOT,
                "%-44s %10.1f %12.0f %10.2f%n",
                "raw ONNX Runtime session (same batches)",
                result.rawPerSecond(),
                realTokens / result.rawSeconds(),
                result.rawSeconds());
        out.printf(
                Locale.ROOT,
                "%-44s %10.3f   (target >= 0.9; %d texts per path)%n",
                "ratio pipeline / raw",
                result.ratio(),
                (long) texts);
        out.printf(
                Locale.ROOT,
                "%-44s %10.3f   (per batch, back to back: robust to load spikes)%n",
                "median batch ratio",
                result.medianBatchRatio());
        out.printf(
                Locale.ROOT,
                "{\"pipeline_per_s\": %.2f, \"raw_per_s\": %.2f, \"ratio\": %.4f}%n",
                result.pipelinePerSecond(),
                result.rawPerSecond(),
                result.ratio());
        out.flush();
    }

    /**
     * Code chunks for the benchmark: consecutive {@value #CHUNK_LINES}-line windows of the {@code
     * .java} files under a folder, in path order, repeated if the folder has fewer than asked.
     */
    record CodeChunks(Path root, int files, int distinct, List<String> texts) {

        static CodeChunks read(Path folder, int count) {
            Path root = folder.toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new CliException("--corpus " + root + " is not a folder", CliExit.USAGE);
            }
            List<Path> files = javaFiles(root);
            List<String> chunks = new ArrayList<>();
            for (Path file : files) {
                if (chunks.size() >= count) {
                    break;
                }
                chunk(read(file), chunks, count);
            }
            if (chunks.isEmpty()) {
                throw new CliException("no .java source under " + root + "; pass --corpus DIR", CliExit.DATA);
            }
            int distinct = chunks.size();
            List<String> texts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                texts.add(chunks.get(i % distinct));
            }
            return new CodeChunks(root, files.size(), distinct, List.copyOf(texts));
        }

        private static List<Path> javaFiles(Path root) {
            List<Path> files = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        Path name = dir.getFileName();
                        return !dir.equals(root) && name != null && SKIPPED_DIRS.contains(name.toString())
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()
                                && attrs.size() <= MAX_FILE_BYTES
                                && file.toString().endsWith(".java")) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new CliException("cannot list " + root + ": " + e.getMessage(), CliExit.DATA, e);
            }
            files.sort(null);
            return files;
        }

        private static String read(Path file) {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                        .toString();
            } catch (IOException e) {
                return "";
            }
        }

        private static void chunk(String source, List<String> chunks, int count) {
            String[] lines = source.split("\n", -1);
            for (int from = 0; from < lines.length && chunks.size() < count; from += CHUNK_LINES) {
                String chunk = String.join(
                                "\n", List.of(lines).subList(from, Math.min(lines.length, from + CHUNK_LINES)))
                        .strip();
                if (!chunk.isEmpty()) {
                    chunks.add(chunk.length() > CHUNK_CHARS ? chunk.substring(0, CHUNK_CHARS) : chunk);
                }
            }
        }
    }
}
