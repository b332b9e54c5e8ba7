package dev.drydock.search.index;

import dev.drydock.search.chunk.Chunk;
import dev.drydock.search.chunk.ParsedFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/** Builds the Lucene documents of one file: the file document, then one per chunk. */
public final class Documents {
    private static final Pattern TYPE_REFERENCE = Pattern.compile("\\b[A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*\\b");
    private static final int MAX_REFS = 400;

    private Documents() {}

    public static List<Document> of(
            String repo,
            String path,
            String language,
            String hash,
            String stamp,
            String content,
            ParsedFile parsed,
            float @Nullable [] vector) {
        List<Document> docs = new ArrayList<>(parsed.chunks().size() + 1);
        String key = IndexSchema.key(repo, path);
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;

        Document file = common(key, repo, path, language, IndexSchema.KIND_FILE);
        file.add(new TextField(IndexSchema.PATH_TEXT, path, Field.Store.NO));
        file.add(new StoredField(IndexSchema.HASH, hash));
        file.add(new StoredField(IndexSchema.STAMP, stamp));
        file.add(new TextField(IndexSchema.NAME_TEXT, stem, Field.Store.NO));
        List<String> symbols = new ArrayList<>(parsed.types());
        symbols.addAll(parsed.functions());
        file.add(new TextField(IndexSchema.SYMBOL_TEXT, String.join(" ", symbols), Field.Store.NO));
        file.add(new TextField(IndexSchema.BODY, content, Field.Store.NO));
        file.add(new StoredField(IndexSchema.TYPES, String.join(" ", parsed.types())));
        file.add(new StoredField(IndexSchema.FUNCTIONS, String.join(" ", new LinkedHashSet<>(parsed.functions()))));
        file.add(new StoredField(IndexSchema.REFS, String.join(" ", references(content, parsed.types()))));
        file.add(new StoredField(IndexSchema.START, 1));
        file.add(new StoredField(
                IndexSchema.END, Math.max(1, (int) content.lines().count())));
        file.add(new StoredField(
                IndexSchema.SYMBOL,
                parsed.types().isEmpty() ? "" : parsed.types().get(0)));
        if (vector != null) {
            file.add(new KnnFloatVectorField(IndexSchema.VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        }
        docs.add(file);

        for (int i = 0; i < parsed.chunks().size(); i++) {
            Chunk chunk = parsed.chunks().get(i);
            Document doc = common(key, repo, path, language, IndexSchema.KIND_CHUNK);
            doc.add(new TextField(IndexSchema.CHUNK_PATH_TEXT, path, Field.Store.NO));
            doc.add(new StoredField(IndexSchema.START, chunk.startLine()));
            doc.add(new StoredField(IndexSchema.END, chunk.endLine()));
            doc.add(new StoredField(IndexSchema.SYMBOL, chunk.symbol()));
            doc.add(new TextField(
                    IndexSchema.CHUNK_SYMBOL_TEXT,
                    chunk.symbol() + " " + String.join(" ", chunk.defines()),
                    Field.Store.NO));
            doc.add(new TextField(IndexSchema.CHUNK_BODY, chunk.text(), Field.Store.NO));
            docs.add(doc);
        }
        return docs;
    }

    /**
     * The text embedded for a file: its path, declared symbols, then its code from the first
     * declaration on (licence headers, package and import lines dropped), capped.
     */
    public static String embeddingText(String path, ParsedFile parsed, String content) {
        StringBuilder text = new StringBuilder(path).append('\n');
        List<String> symbols = new ArrayList<>(parsed.types());
        symbols.addAll(parsed.functions());
        text.append(String.join(" ", symbols.subList(0, Math.min(40, symbols.size()))))
                .append('\n');
        String body = content;
        if (body.startsWith("/*")) {
            int end = body.indexOf("*/");
            String header = end < 0 ? body : body.substring(0, end);
            if (header.contains("Copyright") || header.contains("License") || header.contains("LICENSE")) {
                body = end < 0 ? "" : body.substring(end + 2);
            }
        }
        for (String line : body.split("\n")) {
            String t = line.strip();
            if (t.isEmpty()
                    || t.startsWith("package ")
                    || t.startsWith("import ")
                    || t.startsWith("#include")
                    || t.startsWith("using ")) {
                continue;
            }
            text.append(t).append('\n');
            if (text.length() > 1200) {
                break;
            }
        }
        return text.length() > 1200 ? text.substring(0, 1200) : text.toString();
    }

    private static Document common(String key, String repo, String path, String language, String kind) {
        Document doc = new Document();
        doc.add(new StringField(IndexSchema.KEY, key, Field.Store.NO));
        doc.add(new SortedDocValuesField(IndexSchema.KEY, new BytesRef(key)));
        doc.add(new StringField(IndexSchema.KIND, kind, Field.Store.NO));
        doc.add(new StringField(IndexSchema.REPO, repo, Field.Store.YES));
        doc.add(new StringField(IndexSchema.PATH, path, Field.Store.YES));
        doc.add(new StringField(IndexSchema.LANGUAGE, language, Field.Store.YES));
        return doc;
    }

    private static List<String> references(String content, List<String> ownTypes) {
        Set<String> refs = new LinkedHashSet<>();
        Set<String> own = Set.copyOf(ownTypes);
        Matcher m = TYPE_REFERENCE.matcher(content);
        while (m.find() && refs.size() < MAX_REFS) {
            String ref = m.group();
            if (!own.contains(ref)) {
                refs.add(ref);
            }
        }
        return new ArrayList<>(refs);
    }
}
