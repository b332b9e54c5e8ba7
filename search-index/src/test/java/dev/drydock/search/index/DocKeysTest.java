package dev.drydock.search.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.search.CodeIndexer;
import dev.drydock.search.IndexProgress;
import dev.drydock.search.IndexRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocKeysTest {
    @TempDir Path tmp;

    @Test
    void shouldMapEveryDocumentToItsFileAndEveryFileToItsLiveDocumentWhenTheIndexHasSeveralSegments() throws IOException {
        // Given: two index runs (two segments), the second rewriting one file (a deleted document)
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A { void a() {} }\nclass A2 { void b() {} }\n");
        Files.writeString(repo.resolve("src/B.java"), "class B { void b() {} }\n");
        Path index = tmp.resolve("index");
        new CodeIndexer(index, null).index(IndexRequest.of(repo, "r"), false, IndexProgress.NONE);
        Files.writeString(repo.resolve("src/B.java"), "class B { void changed() {} }\n");
        new CodeIndexer(index, null).index(IndexRequest.of(repo, "r"), false, IndexProgress.NONE);

        try (FSDirectory dir = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(dir)) {
            // When
            DocKeys keys = DocKeys.load(reader);

            // Then
            IndexSearcher searcher = new IndexSearcher(reader);
            StoredFields stored = searcher.storedFields();
            Map<String, Integer> liveFiles = new HashMap<>();
            for (ScoreDoc sd : searcher.search(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_FILE)), 100).scoreDocs) {
                Document doc = stored.document(sd.doc);
                liveFiles.put(IndexSchema.key(doc.get(IndexSchema.REPO), doc.get(IndexSchema.PATH)), sd.doc);
            }
            for (ScoreDoc sd : searcher.search(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK)), 100).scoreDocs) {
                Document doc = stored.document(sd.doc);
                assertThat(keys.key(sd.doc)).isEqualTo(IndexSchema.key(doc.get(IndexSchema.REPO), doc.get(IndexSchema.PATH)));
            }
            assertThat(reader.leaves()).hasSizeGreaterThan(1);
            assertThat(liveFiles).containsOnlyKeys("r\0src/A.java", "r\0src/B.java");
            liveFiles.forEach((key, doc) -> assertThat(keys.fileDoc(key)).isEqualTo(doc));
            assertThat(keys.fileDoc("r\0src/Missing.java")).isEqualTo(-1);
        }
    }
}
