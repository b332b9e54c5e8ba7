package dev.drydock.inference;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A BERT-style ONNX model behind {@link EmbeddingModel}: tokenize in bulk, sort by length, pad each
 * batch to its own longest text, run ONNX Runtime, pool, L2-normalise.
 *
 * <p>For benchmarks, {@link #tokenize} and {@link #runRaw} expose the pre-tokenised batches and the
 * bare session call, so that a raw ONNX Runtime baseline runs on exactly the same inputs.
 */
final class OnnxEmbeddingModel implements EmbeddingModel {
    private static final System.Logger LOG = System.getLogger(OnnxEmbeddingModel.class.getName());

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final List<String> PREFERRED_OUTPUTS = List.of("last_hidden_state", "token_embeddings");

    /** Texts tokenized together, then sorted by length and cut into batches; bounds memory for huge lists. */
    private static final int BATCHES_PER_WINDOW = 16;

    private final String id;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;
    private final int maxTokens;
    private final int batchSize;
    private final boolean feedsTokenTypes;
    private final String output;
    private final Set<String> outputs;
    private final int dimensions;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxEmbeddingModel(
            String id,
            OrtEnvironment environment,
            OrtSession session,
            HuggingFaceTokenizer tokenizer,
            ModelSettings settings,
            int maxTokens,
            int batchSize,
            String source) {
        this.id = id;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.pooling = settings.pooling();
        this.maxTokens = maxTokens;
        this.batchSize = batchSize;
        this.feedsTokenTypes = checkInputs(session, source);
        this.output = chooseOutput(session, settings.output(), source);
        this.outputs = Set.of(output);
        this.dimensions = probeDimensions(settings.dimensions(), source);
    }

    /**
     * Opens a model. Takes ownership of the session and tokenizer: they are closed if this fails.
     *
     * @param source names the model in error messages
     */
    static OnnxEmbeddingModel open(
            OrtEnvironment environment,
            OrtSession session,
            HuggingFaceTokenizer tokenizer,
            ModelSettings settings,
            InferenceOptions options,
            String source) {
        int maxTokens = effectiveMaxTokens(settings, options);
        try {
            OnnxEmbeddingModel model = new OnnxEmbeddingModel(
                    settings.id(), environment, session, tokenizer, settings, maxTokens, options.batchSize(), source);
            LOG.log(
                    System.Logger.Level.INFO,
                    () -> String.format(
                            Locale.ROOT,
                            "Loaded embedding model %s from %s: %d dimensions, %s pooling, %d max tokens, %d threads, batch %d%s",
                            model.id,
                            source,
                            model.dimensions,
                            settings.pooling().key(),
                            maxTokens,
                            options.threads(),
                            options.batchSize(),
                            model.feedsTokenTypes ? "" : ", no token_type_ids"));
            return model;
        } catch (RuntimeException e) {
            closeQuietly(session);
            tokenizer.close();
            throw e;
        }
    }

    /** The model's token limit, lowered by the options' cap if one is set. */
    static int effectiveMaxTokens(ModelSettings settings, InferenceOptions options) {
        return options.maxTokens() == 0 ? settings.maxTokens() : Math.min(options.maxTokens(), settings.maxTokens());
    }

    static OrtSession.SessionOptions sessionOptions(InferenceOptions options) throws OrtException {
        OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
        sessionOptions.setIntraOpNumThreads(options.threads());
        // Idle worker threads must not spin: the server shares its cores with sandboxes and sessions.
        sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
        sessionOptions.addConfigEntry("session.inter_op.allow_spinning", "0");
        sessionOptions.setInterOpNumThreads(1);
        sessionOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return sessionOptions;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public float[][] embed(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
        if (texts.isEmpty()) {
            return new float[0][];
        }
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            float[][] vectors = new float[texts.size()][];
            int window = batchSize * BATCHES_PER_WINDOW;
            for (int start = 0; start < texts.size(); start += window) {
                List<String> slice = texts.subList(start, Math.min(texts.size(), start + window));
                for (TokenBatch batch : tokenize(slice, start)) {
                    infer(batch, vectors);
                }
            }
            return vectors;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Tokenizes texts into the batches {@link #embed} would run: sorted by token count, each padded
     * to its own longest row. {@link TokenBatch#positions()} index into {@code texts}, plus {@code
     * offset}.
     */
    List<TokenBatch> tokenize(List<String> texts, int offset) {
        if (texts.isEmpty()) {
            return List.of();
        }
        long[][] ids = new long[texts.size()][];
        long[][] types = feedsTokenTypes ? new long[texts.size()][] : new long[0][];
        encode(texts, ids, types);
        int[] byLength = IntStream.range(0, ids.length)
                .boxed()
                .sorted(Comparator.comparingInt(i -> ids[i].length))
                .mapToInt(Integer::intValue)
                .toArray();
        List<TokenBatch> batches = new ArrayList<>((ids.length + batchSize - 1) / batchSize);
        for (int from = 0; from < byLength.length; from += batchSize) {
            int size = Math.min(batchSize, byLength.length - from);
            int length = 0;
            for (int row = 0; row < size; row++) {
                length = Math.max(length, ids[byLength[from + row]].length);
            }
            long[] batchIds = new long[size * length];
            long[] mask = new long[size * length];
            long[] batchTypes = feedsTokenTypes ? new long[size * length] : new long[0];
            int[] positions = new int[size];
            for (int row = 0; row < size; row++) {
                int text = byLength[from + row];
                long[] rowIds = ids[text];
                System.arraycopy(rowIds, 0, batchIds, row * length, rowIds.length);
                Arrays.fill(mask, row * length, row * length + rowIds.length, 1L);
                if (feedsTokenTypes) {
                    System.arraycopy(types[text], 0, batchTypes, row * length, rowIds.length);
                }
                positions[row] = offset + text;
            }
            batches.add(new TokenBatch(size, length, batchIds, mask, batchTypes, positions));
        }
        return batches;
    }

    /**
     * Tokenizes with DJL's JNI calls directly, fetching only ids (and type ids) instead of building
     * full {@code Encoding} objects (tokens as strings, character spans, word ids), which cost more
     * than the Rust tokenizer itself. No padding is configured, so every token is real: the attention
     * mask is all ones up to each row's length.
     */
    private void encode(List<String> texts, long[][] ids, long[][] types) {
        long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(), texts.toArray(String[]::new), true);
        try {
            for (int i = 0; i < encodings.length; i++) {
                ids[i] = TokenizersLibrary.LIB.getTokenIds(encodings[i]);
                if (feedsTokenTypes) {
                    types[i] = TokenizersLibrary.LIB.getTypeIds(encodings[i]);
                }
            }
        } finally {
            for (long encoding : encodings) {
                TokenizersLibrary.LIB.deleteEncoding(encoding);
            }
        }
    }

    /**
     * The bare ONNX Runtime call on one batch, with no pooling, as a benchmark baseline: builds the
     * input tensors, runs the session, and returns the output's element count.
     */
    long runRaw(TokenBatch batch) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            try (Inputs inputs = inputsOf(batch);
                    OrtSession.Result result = session.run(inputs.byName(), outputs)) {
                return ((OnnxTensor) result.get(0)).getInfo().getNumElements();
            }
        } catch (OrtException e) {
            throw new EmbeddingException("ONNX Runtime failed on model " + id + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(session);
            tokenizer.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void infer(TokenBatch batch, float[][] vectors) {
        try (Inputs inputs = inputsOf(batch);
                OrtSession.Result result = session.run(inputs.byName(), outputs)) {
            OnnxTensor hidden = (OnnxTensor) result.get(0);
            long[] shape = hidden.getInfo().getShape();
            if (shape.length != 3 || shape[0] != batch.size() || shape[1] != batch.length()) {
                throw new EmbeddingException(
                        "model " + id + " output '" + output + "' has shape " + Arrays.toString(shape) + ", expected ["
                                + batch.size() + ", " + batch.length() + ", hidden]",
                        null);
            }
            pool(batch, hidden.getFloatBuffer(), (int) shape[2], vectors);
        } catch (OrtException e) {
            throw new EmbeddingException("ONNX Runtime failed on model " + id + ": " + e.getMessage(), e);
        }
    }

    private void pool(TokenBatch batch, FloatBuffer hidden, int hiddenSize, float[][] vectors) {
        int length = batch.length();
        for (int row = 0; row < batch.size(); row++) {
            float[] vector = new float[hiddenSize];
            int rowStart = row * length;
            if (pooling == Pooling.CLS) {
                hidden.get(rowStart * hiddenSize, vector);
            } else {
                float[] token = new float[hiddenSize];
                int count = 0;
                for (int t = 0; t < length; t++) {
                    if (batch.attentionMask()[rowStart + t] == 0) {
                        continue;
                    }
                    hidden.get((rowStart + t) * hiddenSize, token);
                    for (int d = 0; d < hiddenSize; d++) {
                        vector[d] += token[d];
                    }
                    count++;
                }
                float inverse = 1f / Math.max(1, count);
                for (int d = 0; d < hiddenSize; d++) {
                    vector[d] *= inverse;
                }
            }
            normalize(vector);
            vectors[batch.positions()[row]] = vector;
        }
    }

    private static void normalize(float[] vector) {
        double sumOfSquares = 0;
        for (float v : vector) {
            sumOfSquares += (double) v * v;
        }
        if (sumOfSquares == 0) {
            return;
        }
        float inverse = (float) (1 / Math.sqrt(sumOfSquares));
        for (int d = 0; d < vector.length; d++) {
            vector[d] *= inverse;
        }
    }

    private Inputs inputsOf(TokenBatch batch) throws OrtException {
        long[] shape = {batch.size(), batch.length()};
        Inputs inputs = new Inputs();
        try {
            inputs.add(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.inputIds()), shape));
            inputs.add(
                    ATTENTION_MASK,
                    OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.attentionMask()), shape));
            if (feedsTokenTypes) {
                inputs.add(
                        TOKEN_TYPE_IDS,
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.tokenTypeIds()), shape));
            }
            return inputs;
        } catch (OrtException | RuntimeException e) {
            inputs.close();
            throw e;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("embedding model " + id + " is closed");
        }
    }

    /** Embeds one empty text to learn (and check) the vector length; also proves the model runs. */
    private int probeDimensions(int declared, String source) {
        List<TokenBatch> batches = tokenize(List.of(""), 0);
        try (Inputs inputs = inputsOf(batches.getFirst());
                OrtSession.Result result = session.run(inputs.byName(), outputs)) {
            long[] shape = ((OnnxTensor) result.get(0)).getInfo().getShape();
            if (shape.length != 3) {
                throw new ModelLoadException(source + ": output '" + output + "' has shape " + Arrays.toString(shape)
                        + "; Drydock pools token vectors and needs [batch, tokens, hidden]");
            }
            int actual = (int) shape[2];
            if (declared != 0 && declared != actual) {
                throw new ModelLoadException(source + ": 'dimensions' is " + declared + " but the model outputs "
                        + actual + "-dimensional vectors");
            }
            return actual;
        } catch (OrtException e) {
            throw new ModelLoadException(source + ": the model does not run on a test input: " + e.getMessage(), e);
        }
    }

    /** Returns whether the model takes {@code token_type_ids}; refuses inputs the pipeline cannot feed. */
    private static boolean checkInputs(OrtSession session, String source) {
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
        } catch (OrtException e) {
            throw new ModelLoadException(source + ": cannot read the model's inputs: " + e.getMessage(), e);
        }
        Set<String> names = new TreeSet<>(inputs.keySet());
        Set<String> supported = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
        if (!names.contains(INPUT_IDS) || !names.contains(ATTENTION_MASK) || !supported.containsAll(names)) {
            throw new ModelLoadException(source + ": the model's inputs are " + names
                    + "; Drydock feeds BERT-style models with input_ids, attention_mask and optionally token_type_ids");
        }
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            if (!(input.getValue().getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.INT64) {
                throw new ModelLoadException(source + ": input '" + input.getKey() + "' is "
                        + input.getValue().getInfo()
                        + "; Drydock feeds int64 tensors (re-export the model with int64 inputs)");
            }
        }
        return names.contains(TOKEN_TYPE_IDS);
    }

    private static String chooseOutput(OrtSession session, @Nullable String configured, String source) {
        Map<String, NodeInfo> outputInfo;
        try {
            outputInfo = session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelLoadException(source + ": cannot read the model's outputs: " + e.getMessage(), e);
        }
        if (configured != null) {
            if (!outputInfo.containsKey(configured)) {
                throw new ModelLoadException(source + ": 'output' is '" + configured + "' but the model's outputs are "
                        + new TreeSet<>(outputInfo.keySet()));
            }
            return configured;
        }
        for (String preferred : PREFERRED_OUTPUTS) {
            if (outputInfo.containsKey(preferred)) {
                return preferred;
            }
        }
        List<String> rank3 = outputInfo.entrySet().stream()
                .filter(e -> e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3)
                .map(Map.Entry::getKey)
                .toList();
        if (rank3.size() == 1) {
            return rank3.getFirst();
        }
        throw new ModelLoadException(source + ": cannot tell which output holds token vectors among "
                + new TreeSet<>(outputInfo.keySet()) + "; name it with 'output' in " + ModelSettings.FILE_NAME);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    () -> String.format(Locale.ROOT, "Closing an ONNX Runtime session failed: %s", e.getMessage()));
        }
    }

    /** Input tensors of one call, closed together. */
    private static final class Inputs implements AutoCloseable {
        private final Map<String, OnnxTensor> byName = new HashMap<>(4);

        void add(String name, OnnxTensor tensor) {
            byName.put(name, tensor);
        }

        Map<String, OnnxTensor> byName() {
            return byName;
        }

        @Override
        public void close() {
            byName.values().forEach(OnnxTensor::close);
        }
    }
}
