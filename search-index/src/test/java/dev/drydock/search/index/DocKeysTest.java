package dev.drydock.search.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocKeysTest {
    @TempDir
    Path tmp;

    private static Document doc(String key, String kind) {
        Document doc = new Document();
        doc.add(new StringField(IndexSchema.KEY, key, Field.Store.YES));
        doc.add(new SortedDocValuesField(IndexSchema.KEY, new BytesRef(key)));
        doc.add(new StringField(IndexSchema.KIND, kind, Field.Store.NO));
        return doc;
    }

    @Test
    void shouldMapEveryDocumentToItsFileAndEveryFileToItsLiveDocumentWhenTheIndexHasSeveralSegments()
            throws IOException {
        // Given: two segments; the second rewrites file B, so B's first file document is deleted
        try (FSDirectory dir = FSDirectory.open(tmp)) {
            try (IndexWriter writer =
                    new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
                writer.addDocument(doc("r\0A.java", IndexSchema.KIND_FILE));
                writer.addDocument(doc("r\0A.java", IndexSchema.KIND_CHUNK));
                writer.addDocument(doc("r\0A.java", IndexSchema.KIND_CHUNK));
                writer.addDocument(doc("r\0B.java", IndexSchema.KIND_FILE));
                writer.commit();
                writer.deleteDocuments(new Term(IndexSchema.KEY, "r\0B.java"));
                writer.addDocument(doc("r\0B.java", IndexSchema.KIND_CHUNK));
                writer.addDocument(doc("r\0B.java", IndexSchema.KIND_FILE));
                writer.addDocument(doc("\u0001history\0r", IndexSchema.KIND_HISTORY));
                writer.commit();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                // When
                DocKeys keys = DocKeys.load(reader);

                // Then
                assertThat(reader.leaves()).hasSize(2);
                StoredFields stored = reader.storedFields();
                for (int doc = 0; doc < reader.maxDoc(); doc++) {
                    assertThat(keys.key(doc)).isEqualTo(stored.document(doc).get(IndexSchema.KEY));
                }
                assertThat(keys.fileDoc("r\0A.java")).isEqualTo(0);
                assertThat(keys.fileDoc("r\0B.java")).isEqualTo(5);
                assertThat(keys.fileDoc("r\0Missing.java")).isEqualTo(-1);
                assertThat(keys.fileDoc("\u0001history\0r")).isEqualTo(-1);
            }
        }
    }
}
