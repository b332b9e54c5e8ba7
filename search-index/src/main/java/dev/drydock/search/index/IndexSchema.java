package dev.drydock.search.index;

import dev.drydock.search.lexical.CodeAnalyzer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;

/**
 * Field names and the codec. One Lucene document per file ({@link #KIND} = {@code file}, whole
 * content) and one per chunk ({@code chunk}); both carry {@link #KEY} so a file is replaced or
 * deleted with one term.
 */
public final class IndexSchema {
    /** Bumped whenever documents or analysis change incompatibly. */
    public static final int VERSION = 2;

    public static final String KIND = "kind";
    public static final String KIND_FILE = "file";
    public static final String KIND_CHUNK = "chunk";
    /** One per git repo: the mined change history (see {@code history.ChangeHistory}). */
    public static final String KIND_HISTORY = "history";

    public static final String HISTORY = "history";
    /** One per past commit of a git repo (see {@code history.PastCommit}): its message, analysed, and its files. */
    public static final String KIND_COMMIT = "commit";

    public static final String COMMIT_MESSAGE = "m_body";
    /** Stored on commit docs: the changed paths, newline separated. */
    public static final String COMMIT_PATHS = "m_paths";
    /** repo + '\0' + path: identifies every document of one file. */
    public static final String KEY = "key";

    public static final String REPO = "repo";
    public static final String PATH = "path";
    public static final String LANGUAGE = "lang";
    public static final String HASH = "hash";
    /** Stored on file docs of folder sources: size and modification time when indexed. */
    public static final String STAMP = "stamp";

    public static final String START = "start";
    public static final String END = "end";
    public static final String SYMBOL = "symbol";
    /** Stored on file docs: type names the file declares, space separated. */
    public static final String TYPES = "types";
    /** Stored on file docs: function and method names the file declares, space separated. */
    public static final String FUNCTIONS = "functions";
    /** Stored on file docs: capitalised identifiers the file uses, space separated. */
    public static final String REFS = "refs";

    /** Analysed text fields of file documents. */
    public static final String BODY = "body";

    public static final String PATH_TEXT = "path_t";
    public static final String NAME_TEXT = "name_t";
    public static final String SYMBOL_TEXT = "sym_t";

    /**
     * Analysed text fields of chunk documents: fields of their own, so BM25 statistics (document
     * frequencies, average length) are those of one population, not a mix of files and chunks.
     */
    public static final String CHUNK_BODY = "c_body";

    public static final String CHUNK_PATH_TEXT = "c_path_t";
    public static final String CHUNK_SYMBOL_TEXT = "c_sym_t";

    public static final String VECTOR = "vec";

    private IndexSchema() {}

    /** The analysed text fields that only documents of {@code kind} have (empty for other kinds). */
    public static java.util.Set<String> fieldsOfKind(String kind) {
        return switch (kind) {
            case KIND_FILE -> java.util.Set.of(BODY, PATH_TEXT, NAME_TEXT, SYMBOL_TEXT);
            case KIND_CHUNK -> java.util.Set.of(CHUNK_BODY, CHUNK_PATH_TEXT, CHUNK_SYMBOL_TEXT);
            case KIND_COMMIT -> java.util.Set.of(COMMIT_MESSAGE);
            default -> java.util.Set.of();
        };
    }

    public static String historyKey(String repo) {
        return "\u0001history\0" + repo;
    }

    public static String commitKey(String repo, String commit) {
        return repo + "\0\u0001commit\u0001" + commit;
    }

    public static String key(String repo, String path) {
        return repo + '\0' + path;
    }

    public static Analyzer indexAnalyzer() {
        return CodeAnalyzer.forIndex();
    }

    /** The codec: default Lucene formats, int8 scalar-quantized HNSW for vectors. */
    public static Lucene104Codec codec() {
        KnnVectorsFormat vectors = new Lucene104HnswScalarQuantizedVectorsFormat();
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }
}
