package dev.drydock.search.index;

import dev.drydock.search.SearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DocumentStoredFieldVisitor;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/** Opens index directories with clear errors for missing, locked, corrupt or incompatible indexes. */
public final class IndexStore {
    private IndexStore() {}

    /** The command that rebuilds an index, for error messages. */
    public static String rebuildHint(Path indexDir) {
        return "rebuild it with: ./drydock index PATH --index " + indexDir + " --rebuild";
    }

    /** The error for an index that Lucene cannot read: damaged, or written by an incompatible version. */
    private static SearchException corrupt(Path indexDir, IOException cause) {
        return new SearchException(
                "index " + indexDir + " is corrupt or from an incompatible version; " + rebuildHint(indexDir), cause);
    }

    /** A writer plus what the index held when it was opened. */
    public static final class Writing implements AutoCloseable {
        private final Path indexDir;
        private final Directory directory;
        private final IndexWriter writer;
        private final IndexMeta meta;
        private final boolean empty;

        private Writing(Path indexDir, Directory directory, IndexWriter writer, IndexMeta meta, boolean empty) {
            this.indexDir = indexDir;
            this.directory = directory;
            this.writer = writer;
            this.meta = meta;
            this.empty = empty;
        }

        public IndexWriter writer() {
            return writer;
        }

        public IndexMeta meta() {
            return meta;
        }

        public boolean isEmpty() {
            return empty;
        }

        /** path → {@code hash + "\n" + stamp} of every file already indexed for {@code repo}. */
        public Map<String, String> fileHashes(String repo) throws IOException {
            Map<String, String> hashes = new HashMap<>();
            if (empty) {
                return hashes;
            }
            try (DirectoryReader reader = openSegments()) {
                IndexSearcher searcher = new IndexSearcher(reader);
                BooleanQuery query = new BooleanQuery.Builder()
                        .add(
                                new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE)),
                                BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(IndexSchema.REPO, repo)), BooleanClause.Occur.FILTER)
                        .build();
                int count = Math.max(1, searcher.count(query));
                TopDocs top = searcher.search(query, count);
                StoredFields stored = searcher.storedFields();
                Set<String> wanted = Set.of(IndexSchema.PATH, IndexSchema.HASH, IndexSchema.STAMP);
                for (ScoreDoc sd : top.scoreDocs) {
                    // only the three fields: a file document also stores its type, function and reference names
                    DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(wanted);
                    stored.document(sd.doc, visitor);
                    Document doc = visitor.getDocument();
                    String stamp = doc.get(IndexSchema.STAMP);
                    hashes.put(
                            doc.get(IndexSchema.PATH), doc.get(IndexSchema.HASH) + "\n" + (stamp == null ? "" : stamp));
                }
            }
            return hashes;
        }

        /** Paths of {@code repo}'s file documents, only those without a vector when {@code withoutVectorOnly}. */
        public Set<String> filePaths(String repo, boolean withoutVectorOnly) throws IOException {
            Set<String> paths = new java.util.HashSet<>();
            if (empty) {
                return paths;
            }
            try (DirectoryReader reader = openSegments()) {
                IndexSearcher searcher = new IndexSearcher(reader);
                BooleanQuery.Builder query = new BooleanQuery.Builder()
                        .add(
                                new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE)),
                                BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(IndexSchema.REPO, repo)), BooleanClause.Occur.FILTER);
                if (withoutVectorOnly) {
                    query.add(
                            new org.apache.lucene.search.FieldExistsQuery(IndexSchema.VECTOR),
                            BooleanClause.Occur.MUST_NOT);
                }
                BooleanQuery built = query.build();
                TopDocs top = searcher.search(built, Math.max(1, searcher.count(built)));
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc sd : top.scoreDocs) {
                    DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(IndexSchema.PATH);
                    stored.document(sd.doc, visitor);
                    paths.add(visitor.getDocument().get(IndexSchema.PATH));
                }
            }
            return paths;
        }

        /** The writer's view of the segments; the first place a damaged segment file shows. */
        private DirectoryReader openSegments() throws IOException {
            try {
                return DirectoryReader.open(writer);
            } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
                throw corrupt(indexDir, e);
            }
        }

        public void commit(IndexMeta next) throws IOException {
            writer.setLiveCommitData(next.toUserData().entrySet());
            writer.commit();
        }

        @Override
        public void close() throws IOException {
            try {
                writer.rollback(); // no-op after commit; drops uncommitted work otherwise
            } finally {
                directory.close();
            }
        }
    }

    /**
     * Opens the index for writing. With {@code rebuild}, a healthy index is replaced atomically at
     * commit (it stays searchable until then); one that cannot be read at all (damaged, or written by an
     * incompatible Lucene) is deleted first, since there is nothing left in it to keep searchable.
     */
    public static Writing openForWriting(Path indexDir, boolean rebuild) throws IOException {
        try {
            return open(indexDir, rebuild);
        } catch (SearchException unreadable) {
            if (!rebuild
                    || !(unreadable.getCause() instanceof CorruptIndexException
                            || unreadable.getCause() instanceof IndexFormatTooOldException
                            || unreadable.getCause() instanceof IndexFormatTooNewException)) {
                throw unreadable;
            }
            try (var files = Files.list(indexDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.delete(f);
                }
            }
            return open(indexDir, true);
        }
    }

    private static Writing open(Path indexDir, boolean rebuild) throws IOException {
        Files.createDirectories(indexDir);
        Directory directory = FSDirectory.open(indexDir);
        try {
            boolean exists = DirectoryReader.indexExists(directory);
            IndexMeta meta = IndexMeta.empty();
            if (exists && !rebuild) {
                meta = readMeta(directory, indexDir);
            }
            IndexWriterConfig config = new IndexWriterConfig(IndexSchema.indexAnalyzer())
                    .setCodec(IndexSchema.codec())
                    .setRAMBufferSizeMB(128)
                    .setOpenMode(
                            rebuild ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCommitOnClose(false);
            IndexWriter writer = new IndexWriter(directory, config);
            return new Writing(indexDir, directory, writer, meta, !exists || rebuild);
        } catch (LockObtainFailedException e) {
            directory.close();
            throw new SearchException(
                    "index " + indexDir + " is being written by another process; try again when it finishes", e);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
            directory.close();
            throw corrupt(indexDir, e);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** The metadata of the latest commit, read from its segments file alone (no segment is opened). */
    private static IndexMeta readMeta(Directory directory, Path indexDir) throws IOException {
        return checkedMeta(SegmentInfos.readLatestCommit(directory).getUserData(), indexDir);
    }

    public static IndexMeta checkedMeta(DirectoryReader reader, Path indexDir) throws IOException {
        return checkedMeta(reader.getIndexCommit().getUserData(), indexDir);
    }

    private static IndexMeta checkedMeta(Map<String, String> userData, Path indexDir) {
        IndexMeta meta;
        try {
            meta = IndexMeta.fromUserData(userData);
        } catch (SearchException e) {
            throw new SearchException(indexDir + " is " + e.getMessage() + "; " + rebuildHint(indexDir), e);
        }
        if (meta.schemaVersion() != IndexSchema.VERSION) {
            throw new SearchException("index " + indexDir + " has schema version " + meta.schemaVersion()
                    + " but this Drydock reads version " + IndexSchema.VERSION + "; " + rebuildHint(indexDir));
        }
        return meta;
    }

    /** The metadata of the index at {@code indexDir}, or empty when there is no index there yet. */
    public static java.util.Optional<IndexMeta> peekMeta(Path indexDir) {
        if (!Files.isDirectory(indexDir)) {
            return java.util.Optional.empty();
        }
        try (Directory directory = FSDirectory.open(indexDir)) {
            if (!DirectoryReader.indexExists(directory)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(readMeta(directory, indexDir));
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
            throw corrupt(indexDir, e);
        } catch (IOException e) {
            throw new SearchException(
                    "cannot open index " + indexDir + ": " + e.getMessage() + "; " + rebuildHint(indexDir), e);
        }
    }

    /** Opens an index for searching. */
    public static DirectoryReader openForReading(Path indexDir) {
        if (!Files.isDirectory(indexDir)) {
            throw new SearchException(
                    "no index at " + indexDir + "; create one with: ./drydock index PATH --index " + indexDir);
        }
        try {
            Directory directory = FSDirectory.open(indexDir);
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                throw new SearchException(
                        "no index at " + indexDir + "; create one with: ./drydock index PATH --index " + indexDir);
            }
            return DirectoryReader.open(directory);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
            throw corrupt(indexDir, e);
        } catch (IOException e) {
            throw new SearchException(
                    "cannot open index " + indexDir + ": " + e.getMessage() + "; " + rebuildHint(indexDir), e);
        }
    }
}
