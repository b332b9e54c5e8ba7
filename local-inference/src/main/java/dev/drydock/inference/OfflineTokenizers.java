package dev.drydock.inference;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The only code that creates DJL HuggingFace tokenizers, so that DJL never touches the network.
 *
 * <p>Every {@code HuggingFaceTokenizer.newInstance} calls DJL's telemetry ({@code
 * Ec2Utils.callHome}), which opens HTTP connections to the EC2 metadata address unless the system
 * property {@code offline} or {@code OPT_OUT_TRACKING} is true. This class sets both before the
 * first tokenizer is created. It also points DJL's native-library cache ({@code DJL_CACHE_DIR}) at
 * {@code ~/.drydock/native} unless the operator set it: the tokenizer's native library is extracted
 * there from the jar, never downloaded.
 */
final class OfflineTokenizers {
    private static final System.Logger LOG = System.getLogger(OfflineTokenizers.class.getName());

    private OfflineTokenizers() {}

    /** Where DJL extracts the tokenizer's native library. */
    static Path nativeCacheDir() {
        for (String key : new String[] {"ENGINE_CACHE_DIR", "DJL_CACHE_DIR"}) {
            String value = System.getProperty(key, System.getenv(key));
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        return Path.of(System.getProperty("user.home"), ".drydock", "native");
    }

    /**
     * A tokenizer that truncates to {@code maxTokens} and never pads (the pipeline pads per batch).
     */
    static synchronized HuggingFaceTokenizer create(byte[] tokenizerJson, int maxTokens, String source) {
        goOffline();
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "false",
                "maxLength", Integer.toString(maxTokens),
                "modelMaxLength", Integer.toString(maxTokens));
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    "Cannot load tokenizer " + source + " (native library cache: " + nativeCacheDir() + "): " + e, e);
        } catch (UnsatisfiedLinkError e) {
            throw new ModelLoadException(
                    "Cannot load the tokenizer's native library from the jar into "
                            + nativeCacheDir()
                            + " (set DJL_CACHE_DIR to a writable folder): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * A tokenizer for counting: no special tokens, no truncation, no padding, so that a text's count
     * is the number of tokens the model would see for it.
     */
    static synchronized HuggingFaceTokenizer createForCounting(byte[] tokenizerJson, String source) {
        goOffline();
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    "Cannot load tokenizer " + source + " (native library cache: " + nativeCacheDir() + "): " + e, e);
        } catch (LinkageError e) {
            throw new ModelLoadException(
                    "Cannot load the tokenizer's native library from the jar into " + nativeCacheDir()
                            + " (set DJL_CACHE_DIR to a writable folder): " + e.getMessage(),
                    e);
        }
    }

    private static void goOffline() {
        System.setProperty("offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null
                && System.getenv("DJL_CACHE_DIR") == null
                && System.getProperty("ENGINE_CACHE_DIR") == null
                && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", nativeCacheDir().toString());
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> String.format(Locale.ROOT, "DJL native cache: %s", nativeCacheDir()));
        }
    }
}
