package dev.drydock.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.search.index.IndexStore;
import dev.drydock.search.ingest.IngestPolicy;
import dev.drydock.search.ingest.SkipReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferredVectorsTest {
    @TempDir
    Path tmp;

    private static String commit(Path repo, String path, String content) throws Exception {
        Files.createDirectories(repo.resolve(path).getParent());
        Files.writeString(repo.resolve(path), content);
        try (Git git = Files.exists(repo.resolve(".git"))
                ? Git.open(repo.toFile())
                : Git.init()
                        .setDirectory(repo.toFile())
                        .setInitialBranch("main")
                        .call()) {
            git.add().addFilepattern(".").call();
            return git.commit()
                    .setMessage("change " + path)
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call()
                    .name();
        }
    }

    private static IndexRequest request(Path source, String revision) {
        return new IndexRequest(source, "repo", revision, IngestPolicy.defaults(), 1);
    }

    @Test
    void shouldEmbedOnlyTheFilesWithoutAVectorWhenALexicalUpdateFollowsAnEmbeddedIndex() throws Exception {
        // Given a lexical index of three files, all embedded later, and then one file changed and indexed lexically
        Path source = tmp.resolve("src");
        Path index = tmp.resolve("index");
        commit(source, "a/Adder.java", "class Adder { int add(int a, int b) { return a + b; } }\n");
        commit(source, "a/Greeter.java", "class Greeter { String hello() { return \"hi\"; } }\n");
        String first = commit(source, "a/Store.java", "class Store { void save() {} }\n");
        HashingEmbedder model = new HashingEmbedder("hash-test", 16);
        CodeIndexer.deferringVectors(index).index(request(source, first), false, IndexProgress.NONE);
        CodeIndexer.VectorReport all = new CodeIndexer(index, null)
                .addVectors(request(source, first), model, 2, IndexProgress.NONE, () -> false);
        String second = commit(source, "a/Greeter.java", "class Greeter { String hello() { return \"hello\"; } }\n");
        CodeIndexer.deferringVectors(index).index(request(source, second), false, IndexProgress.NONE);

        // When
        CodeIndexer.VectorReport update = new CodeIndexer(index, null)
                .addVectors(request(source, second), model, 2, IndexProgress.NONE, () -> false);

        // Then
        assertThat(all.embedded()).isEqualTo(3);
        assertThat(update.embedded()).isEqualTo(1);
        assertThat(update.remaining()).isZero();
        assertThat(update.files()).isEqualTo(3);
        assertThat(IndexStore.peekMeta(index).orElseThrow().modelId()).isEqualTo("hash-test");
        try (CodeSearch search = CodeSearch.open(index, model)) {
            assertThat(search.hasVectors()).isTrue();
            assertThat(search.passages(new SearchQuery("add numbers", Set.of("repo"), 5, SearchMode.HYBRID), 2))
                    .first()
                    .satisfies(h -> {
                        assertThat(h.path()).isEqualTo("a/Adder.java");
                        assertThat(h.startLine()).isEqualTo(1);
                    });
        }
    }

    @Test
    void shouldKeepCommittedBatchesWhenAskedToStop() throws Exception {
        // Given a lexical index of three files
        Path source = tmp.resolve("src");
        Path index = tmp.resolve("index");
        commit(source, "A.java", "class A {}\n");
        commit(source, "B.java", "class B {}\n");
        String head = commit(source, "C.java", "class C {}\n");
        CodeIndexer.deferringVectors(index).index(request(source, head), false, IndexProgress.NONE);
        int[] batches = {0};

        // When a stop is asked after the first batch of two
        CodeIndexer.VectorReport report = new CodeIndexer(index, null)
                .addVectors(
                        request(source, head),
                        new HashingEmbedder("hash-test", 16),
                        2,
                        (done, total, seconds) -> batches[0]++,
                        () -> batches[0] >= 1);

        // Then
        assertThat(report.embedded()).isEqualTo(2);
        assertThat(report.remaining()).isEqualTo(1);
        assertThat(IndexStore.peekMeta(index).orElseThrow().modelId()).isEqualTo("hash-test");
    }

    @Test
    void shouldSkipBlobsLeftOutByAPartialCloneAndIndexTheRestWhenClonedWithABlobFilter() throws Exception {
        // Given a repository with one large file, cloned with --filter=blob:limit=1k (no checkout)
        Path origin = tmp.resolve("origin");
        commit(origin, "src/Small.java", "class Small { void tiny() {} }\n");
        String head = commit(origin, "data/Large.java", "class Large {\n" + "    int field;\n".repeat(400) + "}\n");
        git(origin, "config", "uploadpack.allowFilter", "true");
        Path partial = tmp.resolve("partial.git");
        git(
                tmp,
                "clone",
                "--quiet",
                "--bare",
                "--filter=blob:limit=1k",
                origin.toUri().toString(),
                partial.toString());

        // When
        IndexReport report = new CodeIndexer(tmp.resolve("index"), null)
                .index(new IndexRequest(partial, "repo", head, IngestPolicy.defaults(), 1), false, IndexProgress.NONE);

        // Then
        assertThat(report.files()).isEqualTo(1);
        assertThat(report.skipped()).containsEntry(SkipReason.MISSING, 1);
        try (CodeSearch search = CodeSearch.open(tmp.resolve("index"), null)) {
            assertThat(search.searchFiles(new SearchQuery("tiny", Set.of("repo"), 5, SearchMode.LEXICAL)))
                    .extracting(FileHit::path)
                    .containsExactly("src/Small.java");
        }
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
