package dev.drydock.search;

import dev.drydock.search.index.IndexSchema;
import java.util.Map;

/**
 * How file rankings are built and fused. The defaults are the measured choice; the knobs exist so
 * the method can be evaluated (./drydock bench retrieval), not to be tuned per query set.
 *
 * @param fileFields BM25 field weights for whole-file documents
 * @param chunkFields BM25 field weights for chunk documents
 * @param fileWeight RRF weight of the whole-file BM25 ranking
 * @param chunkWeight RRF weight of the chunk BM25 ranking (collapsed to files)
 * @param symbolWeight RRF weight of files declaring identifiers named in the query
 * @param denseWeight RRF weight of the dense ranking in hybrid mode
 * @param graphWeight RRF weight of the one-hop symbol-graph expansion of the fused head
 * @param pastCommitWeight RRF weight of the files changed by the past commits whose messages are
 *     most like the query (git corpora; history up to the indexed commit only)
 * @param recencyWeight RRF weight of the recency-weighted change count re-ordering the head (git
 *     corpora; off: it lowered MRR on the held-out sets)
 * @param coChangeWeight RRF weight of the files co-changed with the top 3 (git corpora; off: it
 *     lowered MRR on every held-out set)
 * @param rrfK the RRF constant
 * @param bodyB BM25 length normalisation for body text of files and chunks (0: none, 1: full)
 * @param subjectBoost extra weight of the terms of the query's first line (a commit subject, a title)
 * @param nonCodeFactor multiplier of the fused score of tests and documentation in the hybrid file
 *     view (1: none), so code with the same evidence comes first
 * @param proximityWeight weight of the word-pair proximity clauses added to the whole-file BM25
 *     query (0: none; see {@link dev.drydock.search.lexical.LexicalQueries#proximity})
 * @param proximitySlop how far apart (position moves) the two words of a query pair may stand
 * @param relativeFill in the hybrid file view, give rank 10 to the best file at ranks 11–50 that is
 *     a name relative of the top 10 (see {@link dev.drydock.search.graph.NameRelations})
 */
public record RankingSettings(
        Map<String, Float> fileFields,
        Map<String, Float> chunkFields,
        double fileWeight,
        double chunkWeight,
        double symbolWeight,
        double denseWeight,
        double graphWeight,
        double pastCommitWeight,
        double recencyWeight,
        double coChangeWeight,
        int rrfK,
        float bodyB,
        double subjectBoost,
        double nonCodeFactor,
        double proximityWeight,
        int proximitySlop,
        boolean relativeFill) {

    public RankingSettings {
        fileFields = Map.copyOf(fileFields);
        chunkFields = Map.copyOf(chunkFields);
    }

    public static RankingSettings defaults() {
        return new RankingSettings(
                Map.of(IndexSchema.BODY, 1f, IndexSchema.NAME_TEXT, 0.3f),
                Map.of(
                        IndexSchema.CHUNK_BODY,
                        1f,
                        IndexSchema.CHUNK_SYMBOL_TEXT,
                        1f,
                        IndexSchema.CHUNK_PATH_TEXT,
                        0.5f),
                1.0,
                1.0,
                1.0,
                0.05,
                0.0,
                0.3,
                0.0,
                0.0,
                60,
                0.3f,
                2.0,
                0.5,
                0.5,
                8,
                true);
    }

    public RankingSettings with(String knob, double value) {
        return new RankingSettings(
                fileFields,
                chunkFields,
                knob.equals("file") ? value : fileWeight,
                knob.equals("chunk") ? value : chunkWeight,
                knob.equals("symbol") ? value : symbolWeight,
                knob.equals("dense") ? value : denseWeight,
                knob.equals("graph") ? value : graphWeight,
                knob.equals("past") ? value : pastCommitWeight,
                knob.equals("recency") ? value : recencyWeight,
                knob.equals("cochange") ? value : coChangeWeight,
                knob.equals("k") ? (int) value : rrfK,
                knob.equals("b") ? (float) value : bodyB,
                knob.equals("subject") ? value : subjectBoost,
                knob.equals("noncode") ? value : nonCodeFactor,
                knob.equals("proximity") ? value : proximityWeight,
                knob.equals("slop") ? (int) value : proximitySlop,
                knob.equals("fill") ? value != 0 : relativeFill);
    }

    public RankingSettings withFields(Map<String, Float> file, Map<String, Float> chunk) {
        return new RankingSettings(
                file,
                chunk,
                fileWeight,
                chunkWeight,
                symbolWeight,
                denseWeight,
                graphWeight,
                pastCommitWeight,
                recencyWeight,
                coChangeWeight,
                rrfK,
                bodyB,
                subjectBoost,
                nonCodeFactor,
                proximityWeight,
                proximitySlop,
                relativeFill);
    }
}
