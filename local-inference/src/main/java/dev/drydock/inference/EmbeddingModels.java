package dev.drydock.inference;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Loads {@link EmbeddingModel}s, from the build ({@link #loadDefault}) or from a folder on disk
 * ({@link #load}). Nothing is ever downloaded.
 *
 * <p>A model folder holds:
 *
 * <ul>
 *   <li>{@code model.onnx}: a BERT-style encoder with int64 inputs {@code input_ids}, {@code
 *       attention_mask} and optionally {@code token_type_ids}, and an output of token vectors
 *       {@code [batch, tokens, hidden]};
 *   <li>{@code tokenizer.json}: its HuggingFace fast-tokenizer file;
 *   <li>{@code drydock-model.properties}: {@code pooling=mean|cls} (required), and optionally
 *       {@code id}, {@code max-tokens} (default 512), {@code dimensions}, {@code sha256} and {@code
 *       tokenizer-sha256} (checked at load when present), {@code output}.
 * </ul>
 */
public final class EmbeddingModels {
    private static final System.Logger LOG = System.getLogger(EmbeddingModels.class.getName());

    /** File names inside a model folder. */
    public static final String MODEL_FILE = "model.onnx";

    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String SETTINGS_FILE = ModelSettings.FILE_NAME;

    /** The descriptor of the model shipped in the build, a classpath resource. */
    static final String DEFAULT_DESCRIPTOR = "dev/drydock/inference/default-model.properties";

    private static final String MODEL_RESOURCE = "model-resource";
    private static final String TOKENIZER_RESOURCE = "tokenizer-resource";

    private EmbeddingModels() {}

    /**
     * Loads the model shipped in the build: all-MiniLM-L6-v2 quantized to int8 (384 dimensions, mean
     * pooling, 256 tokens), taken from the langchain4j carrier jar on the classpath. Its ONNX file and
     * tokenizer are checked against SHA-256 values recorded in this module.
     *
     * @throws ModelLoadException when the resources are missing or their checksum differs
     */
    public static EmbeddingModel loadDefault(InferenceOptions options) {
        return loadFromClasspath(DEFAULT_DESCRIPTOR, options);
    }

    /**
     * Loads a model folder (see the class comment for its layout).
     *
     * @throws ModelLoadException naming the problem: missing folder or file, bad setting, checksum
     *     mismatch, inputs or outputs the pipeline cannot use
     */
    public static EmbeddingModel load(Path modelDir, InferenceOptions options) {
        Path dir = modelDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("Model folder " + dir + " does not exist or is not a folder");
        }
        Path settingsFile = requireFile(dir, SETTINGS_FILE);
        Path modelFile = requireFile(dir, MODEL_FILE);
        Path tokenizerFile = requireFile(dir, TOKENIZER_FILE);
        Path folderName = dir.getFileName();
        ModelSettings settings = ModelSettings.parse(
                readProperties(settingsFile),
                folderName == null ? "model" : folderName.toString(),
                settingsFile.toString(),
                Set.of());
        try {
            String modelSha = Checksums.sha256(modelFile);
            Checksums.verify(modelFile.toString(), settings.sha256(), modelSha, "sha256 in " + settingsFile);
            if (settings.sha256() == null) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        () -> String.format(
                                Locale.ROOT,
                                "Model %s has no sha256 in %s; loading it unchecked. To pin it, add: sha256=%s",
                                modelFile,
                                settingsFile,
                                modelSha));
            }
            byte[] tokenizerJson = Files.readAllBytes(tokenizerFile);
            Checksums.verify(
                    tokenizerFile.toString(),
                    settings.tokenizerSha256(),
                    Checksums.sha256(tokenizerJson),
                    "tokenizer-sha256 in " + settingsFile);
            return open(settings, options, dir.toString(), tokenizerJson, new SessionSource.FromFile(modelFile));
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read model folder " + dir + ": " + e, e);
        }
    }

    /** Loads a model whose files are classpath resources named by a descriptor resource. */
    static EmbeddingModel loadFromClasspath(String descriptor, InferenceOptions options) {
        String source = "classpath:" + descriptor;
        Properties properties = new Properties();
        try (InputStream in = resource(descriptor, "model descriptor")) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + source + ": " + e, e);
        }
        String modelResource = properties.getProperty(MODEL_RESOURCE);
        String tokenizerResource = properties.getProperty(TOKENIZER_RESOURCE);
        if (modelResource == null || tokenizerResource == null) {
            throw new ModelLoadException(source + ": needs " + MODEL_RESOURCE + " and " + TOKENIZER_RESOURCE);
        }
        ModelSettings settings =
                ModelSettings.parse(properties, "default", source, Set.of(MODEL_RESOURCE, TOKENIZER_RESOURCE));
        if (settings.sha256() == null || settings.tokenizerSha256() == null) {
            throw new ModelLoadException(source + ": a shipped model must record sha256 and tokenizer-sha256");
        }
        byte[] onnx = readResource(modelResource, "ONNX model");
        Checksums.verify(
                "classpath:" + modelResource, settings.sha256(), Checksums.sha256(onnx), "sha256 in " + source);
        byte[] tokenizerJson = readResource(tokenizerResource, "tokenizer");
        Checksums.verify(
                "classpath:" + tokenizerResource,
                settings.tokenizerSha256(),
                Checksums.sha256(tokenizerJson),
                "tokenizer-sha256 in " + source);
        return open(settings, options, source, tokenizerJson, new SessionSource.FromBytes(onnx));
    }

    private static EmbeddingModel open(
            ModelSettings settings,
            InferenceOptions options,
            String source,
            byte[] tokenizerJson,
            SessionSource model) {
        int maxTokens = OnnxEmbeddingModel.effectiveMaxTokens(settings, options);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions sessionOptions = OnnxEmbeddingModel.sessionOptions(options)) {
            session = model.open(environment, sessionOptions);
        } catch (OrtException e) {
            throw new ModelLoadException(source + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = OfflineTokenizers.create(tokenizerJson, maxTokens, source);
        } catch (RuntimeException e) {
            try {
                session.close();
            } catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return OnnxEmbeddingModel.open(environment, session, tokenizer, settings, options, source);
    }

    private static Path requireFile(Path dir, String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Model folder " + dir + " has no " + name + " (a model folder holds "
                    + MODEL_FILE + ", " + TOKENIZER_FILE + " and " + SETTINGS_FILE + ")");
        }
        if (!Files.isReadable(file)) {
            throw new ModelLoadException(file + " is not readable");
        }
        return file;
    }

    private static Properties readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    private static InputStream resource(String name, String what) {
        InputStream in = EmbeddingModels.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new ModelLoadException("The " + what + " resource '" + name
                    + "' is not on the classpath (is the model carrier jar missing from the build?)");
        }
        return in;
    }

    private static byte[] readResource(String name, String what) {
        try (InputStream in = resource(name, what)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read classpath resource " + name + ": " + e, e);
        }
    }

    /** Where ONNX Runtime reads the model from. */
    private sealed interface SessionSource {
        OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException;

        record FromFile(Path file) implements SessionSource {
            @Override
            public OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException {
                return environment.createSession(file.toString(), options);
            }
        }

        record FromBytes(byte[] bytes) implements SessionSource {
            @Override
            public OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException {
                return environment.createSession(bytes, options);
            }
        }
    }
}
