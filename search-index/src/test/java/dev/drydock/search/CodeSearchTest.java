package dev.drydock.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeSearchTest {
    @TempDir
    Path tmp;

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private Path twoRepos() throws IOException {
        Path alpha = tmp.resolve("alpha");
        write(alpha, "src/main/java/a/RetryPolicy.java", """
                package a;
                /** Decides when a failed request is retried with exponential backoff. */
                public class RetryPolicy {
                    public long backoffMillis(int attempt) { return 100L << attempt; }
                }
                """);
        write(alpha, "src/main/java/a/Invoice.java", "package a;\npublic class Invoice { int total; }\n");
        Path beta = tmp.resolve("beta");
        // beta matches the query even better: it must still never be returned to alpha-only readers
        write(beta, "src/RetryPolicy.java", """
                /** RetryPolicy RetryPolicy exponential backoff retried retried backoff. */
                public class RetryPolicy { long backoffMillis(int attempt) { return attempt; } }
                """);
        Path index = tmp.resolve("index");
        new CodeIndexer(index, null).index(IndexRequest.of(alpha, "alpha"), false, IndexProgress.NONE);
        new CodeIndexer(index, null).index(IndexRequest.of(beta, "beta"), false, IndexProgress.NONE);
        return index;
    }

    @Test
    void shouldFindDefiningFileFirstWhenQueryNamesItsBehaviour() throws IOException {
        // Given
        Path index = twoRepos();

        // When
        List<FileHit> files;
        List<Hit> hits;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            SearchQuery query =
                    new SearchQuery("exponential backoff when retrying", Set.of("alpha"), 10, SearchMode.HYBRID);
            files = search.searchFiles(query);
            hits = search.search(query);
        }

        // Then
        assertThat(files).first().satisfies(f -> {
            assertThat(f.repo()).isEqualTo("alpha");
            assertThat(f.path()).isEqualTo("src/main/java/a/RetryPolicy.java");
        });
        assertThat(hits).first().satisfies(h -> {
            assertThat(h.path()).isEqualTo("src/main/java/a/RetryPolicy.java");
            assertThat(h.startLine()).isGreaterThanOrEqualTo(1);
            assertThat(h.endLine()).isGreaterThanOrEqualTo(h.startLine());
            assertThat(h.symbol()).isEqualTo("RetryPolicy");
        });
    }

    @Test
    void shouldRankCodeBeforeItsTestsAndDocsWhenTheyMatchAsWell() throws IOException {
        // Given
        Path repo = tmp.resolve("gamma");
        write(repo, "src/main/java/g/RateLimiter.java", """
                package g;
                /** Limits requests per second with a token bucket. */
                public class RateLimiter { boolean tryAcquire() { return true; } }
                """);
        write(repo, "src/test/java/g/RateLimiterTest.java", """
                package g;
                /** RateLimiter token bucket: requests per second, token bucket refill, tryAcquire. */
                class RateLimiterTest { void tokenBucketLimitsRequestsPerSecond() { new RateLimiter().tryAcquire(); } }
                """);
        write(
                repo,
                "README.md",
                "# Rate limiting\nThe RateLimiter token bucket limits requests per second (token bucket).\n");
        Path index = tmp.resolve("index-gamma");
        new CodeIndexer(index, null).index(IndexRequest.of(repo, "gamma"), false, IndexProgress.NONE);
        String text = "token bucket rate limiter requests per second";

        // When
        List<String> hybrid;
        List<String> lexical;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            hybrid = search.searchFiles(new SearchQuery(text, Set.of("gamma"), 10, SearchMode.HYBRID)).stream()
                    .map(FileHit::path)
                    .toList();
            lexical = search.searchFiles(new SearchQuery(text, Set.of("gamma"), 10, SearchMode.LEXICAL)).stream()
                    .map(FileHit::path)
                    .toList();
        }

        // Then
        assertThat(lexical.get(0)).isNotEqualTo("src/main/java/g/RateLimiter.java");
        assertThat(hybrid).first().isEqualTo("src/main/java/g/RateLimiter.java");
        assertThat(hybrid).containsExactlyInAnyOrderElementsOf(lexical);
    }

    @Test
    void shouldOfferFilesOfSimilarPastCommitsWhenTheQueryReadsLikeAnOldCommitMessage() throws Exception {
        // Given: no file mentions the query's words, but a past commit with a similar message changed
        // SessionStore (with a doc and a file deleted since); another repo has the same history
        Path svc = tmp.resolve("svc");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init()
                .setDirectory(svc.toFile())
                .setInitialBranch("main")
                .call()) {
            write(
                    svc,
                    "src/main/java/s/SessionStore.java",
                    "package s;\npublic class SessionStore { java.util.Map<String, String> m; }\n");
            write(svc, "src/main/java/s/Gone.java", "package s;\nclass Gone {}\n");
            write(svc, "src/main/java/s/Invoice.java", "package s;\npublic class Invoice { int total; }\n");
            commit(git, "Initial import");
            write(
                    svc,
                    "src/main/java/s/SessionStore.java",
                    "package s;\npublic class SessionStore { java.util.Map<String, Long> m; }\n");
            write(svc, "src/main/java/s/Gone.java", "package s;\nclass Gone { int n; }\n");
            write(svc, "README.md", "# svc\nSessions.\n");
            commit(git, "Evict idle logins after a timeout");
            Files.delete(svc.resolve("src/main/java/s/Gone.java"));
            git.rm().addFilepattern("src/main/java/s/Gone.java").call();
            commit(git, "Remove an unused helper");
        }
        Path other = tmp.resolve("other");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init()
                .setDirectory(other.toFile())
                .setInitialBranch("main")
                .call()) {
            write(other, "src/main/java/o/Other.java", "package o;\nclass Other {}\n");
            commit(git, "Initial import");
            write(other, "src/main/java/o/Other.java", "package o;\nclass Other { int x; }\n");
            commit(git, "Evict idle logins after a timeout");
        }
        Path index = tmp.resolve("index-history");
        new CodeIndexer(index, null).index(IndexRequest.of(svc, "svc"), false, IndexProgress.NONE);
        new CodeIndexer(index, null).index(IndexRequest.of(other, "other"), false, IndexProgress.NONE);
        String text = "evict idle logins sooner";

        // When
        List<FileHit> hybrid;
        List<FileHit> lexical;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            hybrid = search.searchFiles(new SearchQuery(text, Set.of("svc"), 10, SearchMode.HYBRID));
            lexical = search.searchFiles(new SearchQuery(text, Set.of("svc"), 10, SearchMode.LEXICAL));
        }

        // Then: only the code file that still exists, only from the readable repo
        assertThat(lexical).isEmpty();
        assertThat(hybrid).extracting(FileHit::path).containsExactly("src/main/java/s/SessionStore.java");
        assertThat(hybrid).extracting(FileHit::repo).containsOnly("svc");
    }

    @Test
    void shouldAddNewPastCommitsOnUpdateAndForgetLaterOnesWhenIndexingAnOlderRevision() throws Exception {
        // Given: indexed at the first commit, then a commit whose message is the query arrives
        Path svc = tmp.resolve("svc2");
        String first;
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init()
                .setDirectory(svc.toFile())
                .setInitialBranch("main")
                .call()) {
            write(
                    svc,
                    "src/main/java/s/SessionStore.java",
                    "package s;\npublic class SessionStore { java.util.Map<String, String> m; }\n");
            write(svc, "src/main/java/s/Invoice.java", "package s;\npublic class Invoice { int total; }\n");
            commit(git, "Initial import");
            first = git.getRepository().resolve("HEAD").getName();
        }
        Path index = tmp.resolve("index-update");
        new CodeIndexer(index, null).index(IndexRequest.of(svc, "svc"), false, IndexProgress.NONE);
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(svc.toFile())) {
            write(
                    svc,
                    "src/main/java/s/SessionStore.java",
                    "package s;\npublic class SessionStore { java.util.Map<String, Long> m; }\n");
            commit(git, "Evict idle logins after a timeout");
        }
        SearchQuery query = new SearchQuery("evict idle logins sooner", Set.of("svc"), 10, SearchMode.HYBRID);

        // When: updated to the new commit, then indexed again at the first one
        new CodeIndexer(index, null).index(IndexRequest.of(svc, "svc"), false, IndexProgress.NONE);
        List<FileHit> afterUpdate;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            afterUpdate = search.searchFiles(query);
        }
        new CodeIndexer(index, null)
                .index(
                        new IndexRequest(svc, "svc", first, dev.drydock.search.ingest.IngestPolicy.defaults(), 1),
                        false,
                        IndexProgress.NONE);
        List<FileHit> atFirst;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            atFirst = search.searchFiles(query);
        }

        // Then: the new message counts after the update; at the first commit no later message is known
        assertThat(afterUpdate).extracting(FileHit::path).containsExactly("src/main/java/s/SessionStore.java");
        assertThat(atFirst).isEmpty();
    }

    private static void commit(org.eclipse.jgit.api.Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.commit()
                .setMessage(message)
                .setSign(false)
                .setAuthor("t", "t@example.com")
                .setCommitter("t", "t@example.com")
                .call();
    }

    @Test
    void shouldNeverReturnHitsFromUnreadableReposWhenAnotherRepoMatchesBetter() throws IOException {
        // Given
        Path index = twoRepos();
        Random random = new Random(42);
        List<String> words =
                List.of("RetryPolicy", "backoff", "exponential", "retried", "attempt", "Invoice", "total", "class");

        // When
        List<String> repos = new java.util.ArrayList<>();
        try (CodeSearch search = CodeSearch.open(index, null)) {
            for (int i = 0; i < 50; i++) {
                String text = words.get(random.nextInt(words.size())) + " " + words.get(random.nextInt(words.size()));
                for (SearchMode mode : List.of(SearchMode.LEXICAL, SearchMode.HYBRID)) {
                    SearchQuery query = new SearchQuery(text, Set.of("alpha"), 20, mode);
                    search.search(query).forEach(h -> repos.add(h.repo()));
                    search.searchFiles(query).forEach(h -> repos.add(h.repo()));
                }
            }
        }

        // Then
        assertThat(repos).isNotEmpty().containsOnly("alpha");
    }

    @Test
    void shouldGiveRankTenToNamesakeOfTopFileWhenItRanksLowerAndCountOnlyReadableNamesakes() throws IOException {
        // Given: the servlet-side LedgerView matches best, ten notes match next, the reactive-side
        // LedgerView (its namesake) shares only one word; beta holds more files of that name
        Path alpha = tmp.resolve("alpha");
        write(
                alpha,
                "web/LedgerView.java",
                "class LedgerView { /* rounding of the grand sum, rounding grand sum */ }\n");
        write(alpha, "reactive/LedgerView.java", "class LedgerView { /* grand */ int unrelated; }\n");
        for (int i = 0; i < 10; i++) {
            write(
                    alpha,
                    "notes/Note" + i + ".java",
                    "class Note" + i + " { /* rounding grand sum, note " + i + " */ }\n");
        }
        Path beta = tmp.resolve("beta");
        for (int i = 0; i < 4; i++) {
            write(beta, "m" + i + "/LedgerView.java", "class LedgerView { /* grand sum rounding */ }\n");
        }
        Path index = tmp.resolve("index");
        new CodeIndexer(index, null).index(IndexRequest.of(alpha, "alpha"), false, IndexProgress.NONE);
        new CodeIndexer(index, null).index(IndexRequest.of(beta, "beta"), false, IndexProgress.NONE);

        // When
        List<FileHit> lexical;
        List<FileHit> hybrid;
        List<FileHit> both;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            lexical = search.searchFiles(
                    new SearchQuery("rounding of the grand sum", Set.of("alpha"), 20, SearchMode.LEXICAL));
            hybrid = search.searchFiles(
                    new SearchQuery("rounding of the grand sum", Set.of("alpha"), 20, SearchMode.HYBRID));
            both = search.searchFiles(
                    new SearchQuery("rounding of the grand sum", Set.of("alpha", "beta"), 20, SearchMode.HYBRID));
        }

        // Then
        assertThat(lexical.getFirst().path()).isEqualTo("web/LedgerView.java");
        assertThat(lexical.stream().map(FileHit::path).toList().indexOf("reactive/LedgerView.java"))
                .isGreaterThanOrEqualTo(10);
        assertThat(hybrid.getFirst().path()).isEqualTo("web/LedgerView.java");
        assertThat(hybrid.get(9).path()).isEqualTo("reactive/LedgerView.java");
        assertThat(hybrid).extracting(FileHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(hybrid).extracting(FileHit::repo).containsOnly("alpha");
        assertThat(both.subList(0, 10))
                .extracting(FileHit::path)
                .as("six files of that name: too common to relate")
                .doesNotContain("reactive/LedgerView.java");
    }

    @Test
    void shouldReturnNothingWhenNoRepoIsReadable() throws IOException {
        // Given
        Path index = twoRepos();

        // When
        List<FileHit> files;
        try (CodeSearch search = CodeSearch.open(index, null)) {
            files = search.searchFiles(new SearchQuery("RetryPolicy", Set.of(), 10, SearchMode.HYBRID));
        }

        // Then
        assertThat(files).isEmpty();
    }

    @Test
    void shouldAnswerWithoutErrorWhenQueriesAreEmptyHugeOrFullOfSyntax() throws IOException {
        // Given
        Path index = twoRepos();
        String huge = "backoff ".repeat(100_000 / 8);
        List<String> queries = List.of(
                "",
                "   ",
                huge,
                "title:foo* AND (bar OR \"baz ~2 ^3 [a TO b] /re.*gex/ \\",
                "(?<x>.*)+[[:alpha:]]{2,}$",
                "\u0000\uFFFD\uD83D\uDE00");

        // When
        List<Integer> counts = new java.util.ArrayList<>();
        try (CodeSearch search = CodeSearch.open(index, null)) {
            for (String q : queries) {
                counts.add(search.searchFiles(new SearchQuery(q, Set.of("alpha", "beta"), 10, SearchMode.HYBRID))
                        .size());
                counts.add(search.search(new SearchQuery(q, Set.of("alpha", "beta"), 10, SearchMode.HYBRID))
                        .size());
            }
        }

        // Then
        assertThat(counts.subList(0, 4)).containsOnly(0);
        assertThat(counts.get(4)).isPositive();
    }

    @Test
    void shouldRankByMeaningWhenSearchingDenseWithAnEmbedder() throws IOException {
        // Given
        Path repo = tmp.resolve("repo");
        write(repo, "billing/Invoice.java", "class Invoice { void addLineItem() {} double total() { return 0; } }\n");
        write(repo, "net/Socket.java", "class Socket { void connect() {} void close() {} }\n");
        Path index = tmp.resolve("dense-index");
        Embedder embedder = new HashingEmbedder("hash-64", 64);
        new CodeIndexer(index, embedder).index(IndexRequest.of(repo, "repo"), false, IndexProgress.NONE);

        // When
        List<FileHit> files;
        try (CodeSearch search = CodeSearch.open(index, embedder)) {
            files = search.searchFiles(new SearchQuery("connect close socket", Set.of("repo"), 10, SearchMode.DENSE));
        }

        // Then
        assertThat(files).first().extracting(FileHit::path).isEqualTo("net/Socket.java");
    }

    @Test
    void shouldReorderLexicalCandidatesByMeaningWhenHybridHasVectors() throws IOException {
        // Given: two files matching the query words equally often; only one is about sockets throughout
        Path repo = tmp.resolve("repo");
        write(repo, "net/Socket.java", "class Socket { void connect() {} void close() {} void socket() {} }\n");
        write(repo, "net/Pool.java", "class Pool { void connect() {} void drain() {} void evict() {} }\n");
        write(repo, "billing/Invoice.java", "class Invoice { double total() { return 0; } }\n");
        Path index = tmp.resolve("hybrid-index");
        Embedder embedder = new HashingEmbedder("hash-64", 64);
        new CodeIndexer(index, embedder).index(IndexRequest.of(repo, "repo"), false, IndexProgress.NONE);

        // When
        List<FileHit> files;
        try (CodeSearch search =
                CodeSearch.open(index, embedder, RankingSettings.defaults().with("dense", 1.0))) {
            files = search.searchFiles(new SearchQuery("connect close socket", Set.of("repo"), 10, SearchMode.HYBRID));
        }

        // Then: the dense list re-orders lexical candidates only; a file no lexical list found stays out
        assertThat(files).extracting(FileHit::path).first().isEqualTo("net/Socket.java");
        assertThat(files).extracting(FileHit::path).doesNotContain("billing/Invoice.java");
    }

    @Test
    void shouldRefuseQueryModelWhenIndexWasBuiltWithAnotherModel() throws IOException {
        // Given
        Path repo = tmp.resolve("repo");
        write(repo, "A.java", "class A {}\n");
        Path index = tmp.resolve("model-index");
        new CodeIndexer(index, new HashingEmbedder("model-a", 16))
                .index(IndexRequest.of(repo, "repo"), false, IndexProgress.NONE);

        // When
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> CodeSearch.open(index, new HashingEmbedder("model-b", 16)));

        // Then
        assertThat(thrown)
                .isInstanceOf(SearchException.class)
                .hasMessageContaining("model-a")
                .hasMessageContaining("--rebuild");
    }
}
