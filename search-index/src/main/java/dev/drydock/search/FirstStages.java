package dev.drydock.search;

import dev.drydock.search.FileRanking.FirstStage;
import dev.drydock.search.FileRanking.Pending;
import dev.drydock.search.fusion.RankedList;
import dev.drydock.search.index.IndexSchema;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Future;

/** The first-stage retrievers of {@link FileRanking}: each ranks files on its own. */
final class FirstStages {
    static final int FILE_DEPTH = 100;
    static final int CHUNK_DEPTH = 300;
    static final int DENSE_DEPTH = 200;
    /** A file's chunk score is the sum of its best this many chunks (several matching chunks count). */
    static final int CHUNKS_PER_FILE = 2;

    private FirstStages() {}

    static List<FirstStage> all(CodeSearch index, RankingSettings settings) {
        return List.of(
                new WholeFiles(index, settings),
                new Chunks(index, settings),
                new PastCommits(index, settings),
                new DefinedSymbols(index, settings),
                new DenseFiles(index));
    }

    private static boolean lexical(FileSearch s) {
        return s.query().mode() != SearchMode.DENSE && !s.analysed().terms().isEmpty();
    }

    static List<FileKey> fileKeys(List<String> keys) {
        return keys.stream().map(FileKey::of).toList();
    }

    /** BM25 over whole files (body with word-pair proximity, file name, symbols, path); on another thread. */
    record WholeFiles(CodeSearch index, RankingSettings settings) implements FirstStage {
        @Override
        public Pending start(FileSearch s) {
            if (!lexical(s) || settings.fileWeight() <= 0) {
                return Pending.NONE;
            }
            Future<List<String>> files = index.inParallel(() -> index.keys(index.lexical(
                    s.analysed(),
                    settings.fileFields(),
                    IndexSchema.KIND_FILE,
                    s.query().readableRepos(),
                    FILE_DEPTH)));
            return () -> new RankedList<>("files", settings.fileWeight(), fileKeys(CodeSearch.await(files)));
        }
    }

    /** BM25 over chunks, a file scoring the sum of its best {@link #CHUNKS_PER_FILE} chunks; on the calling thread. */
    record Chunks(CodeSearch index, RankingSettings settings) implements FirstStage {
        @Override
        public Pending start(FileSearch s) throws IOException {
            if (!lexical(s) || settings.chunkWeight() <= 0) {
                return Pending.NONE;
            }
            List<String> chunks = index.keysBySummedScore(
                    index.lexical(
                            s.analysed(),
                            settings.chunkFields(),
                            IndexSchema.KIND_CHUNK,
                            s.query().readableRepos(),
                            CHUNK_DEPTH),
                    CHUNKS_PER_FILE);
            RankedList<FileKey> list = new RankedList<>("chunks", settings.chunkWeight(), fileKeys(chunks));
            return () -> list;
        }
    }

    /** Code files changed by the past commits whose messages read most like the query (git corpora, hybrid). */
    record PastCommits(CodeSearch index, RankingSettings settings) implements FirstStage {
        @Override
        public Pending start(FileSearch s) throws IOException {
            if (!s.hybrid()
                    || settings.pastCommitWeight() <= 0
                    || !index.hasPastCommits()
                    || s.analysed().terms().isEmpty()) {
                return Pending.NONE;
            }
            List<String> past =
                    index.filesOfSimilarCommits(s.analysed(), s.query().readableRepos());
            if (past.isEmpty()) {
                return Pending.NONE;
            }
            RankedList<FileKey> list = new RankedList<>("past-commits", settings.pastCommitWeight(), fileKeys(past));
            return () -> list;
        }
    }

    /** Files declaring identifiers the query names (types first, then rare functions), hybrid only. */
    record DefinedSymbols(CodeSearch index, RankingSettings settings) implements FirstStage {
        @Override
        public Pending start(FileSearch s) throws IOException {
            if (!s.hybrid() || settings.symbolWeight() <= 0) {
                return Pending.NONE;
            }
            List<String> defining = index.symbolGraph()
                    .definingFiles(
                            CodeSearch.identifiers(s.query().text()), s.query().readableRepos());
            if (defining.isEmpty()) {
                return Pending.NONE;
            }
            RankedList<FileKey> list = new RankedList<>("symbols", settings.symbolWeight(), fileKeys(defining));
            return () -> list;
        }
    }

    /** Approximate (HNSW) dense similarity of file vectors: the ranking of dense mode. */
    record DenseFiles(CodeSearch index) implements FirstStage {
        @Override
        public Pending start(FileSearch s) {
            Future<float[]> vector = s.vector();
            if (s.query().mode() != SearchMode.DENSE || vector == null) {
                return Pending.NONE;
            }
            return () -> new RankedList<>(
                    "dense",
                    1.0,
                    fileKeys(index.keys(index.dense(vector, s.query().readableRepos(), DENSE_DEPTH))));
        }
    }
}
