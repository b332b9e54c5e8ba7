package dev.drydock.search;

import dev.drydock.search.fusion.Fused;
import dev.drydock.search.fusion.RankedList;
import dev.drydock.search.fusion.ReciprocalRankFusion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * File ranking as a pipeline of small stages ({@link CodeSearch#searchFiles}):
 * <ol>
 *   <li>{@link FirstStage first-stage retrievers} each give a ranked list of files (whole-file BM25,
 *       chunk BM25, files of similar past commits, files declaring the query's identifiers, dense
 *       similarity in dense mode);
 *   <li>weighted reciprocal rank {@link ReciprocalRankFusion fusion} of those lists;
 *   <li>{@link Rerank re-rankers} read the fused head and add lists of their own (dense similarity of
 *       the candidates, history, symbol-graph neighbours), each followed by a new fusion of all lists;
 *   <li>{@link Adjustment adjustments} change the fused list itself: the prior on tests and docs, then
 *       the head fill (rank 10 to a name relative of the head).
 * </ol>
 * Stages that do not apply to a search (its mode, a zero weight, an index without history) add nothing.
 */
final class FileRanking {
    /** A first-stage retriever: one ranked list of files, or null when it does not apply. */
    interface FirstStage {
        /**
         * Starts the list (possibly on another thread) and returns how to get it: first stages are
         * started in order and collected in order, so a slow one runs beside the next ones.
         */
        Pending start(FileSearch search) throws IOException;
    }

    /** A first-stage list being computed. */
    interface Pending {
        Pending NONE = () -> null;

        @Nullable
        RankedList<FileKey> get() throws IOException;
    }

    /** A re-ranker: lists computed from the fused candidates (none: the fusion stands). */
    interface Rerank {
        List<RankedList<FileKey>> lists(FileSearch search, List<Fused<FileKey>> fused) throws IOException;
    }

    /** A change to the fused list itself (a prior, a move). */
    interface Adjustment {
        List<Fused<FileKey>> apply(FileSearch search, List<Fused<FileKey>> fused) throws IOException;
    }

    private final List<FirstStage> firstStages;
    private final List<Rerank> rerankers;
    private final List<Adjustment> adjustments;
    private final int rrfK;

    FileRanking(List<FirstStage> firstStages, List<Rerank> rerankers, List<Adjustment> adjustments, int rrfK) {
        this.firstStages = List.copyOf(firstStages);
        this.rerankers = List.copyOf(rerankers);
        this.adjustments = List.copyOf(adjustments);
        this.rrfK = rrfK;
    }

    /** The files of {@code search}, best first (all of them: the caller keeps its top k). */
    List<Fused<FileKey>> rank(FileSearch search) throws IOException {
        List<Pending> pending = new ArrayList<>(firstStages.size());
        for (FirstStage stage : firstStages) {
            pending.add(stage.start(search));
        }
        List<RankedList<FileKey>> lists = new ArrayList<>();
        for (Pending p : pending) {
            RankedList<FileKey> list = p.get();
            if (list != null) {
                lists.add(list);
            }
        }
        List<Fused<FileKey>> fused = ReciprocalRankFusion.fuse(lists, rrfK);
        for (Rerank rerank : rerankers) {
            List<RankedList<FileKey>> more = rerank.lists(search, fused);
            if (!more.isEmpty()) {
                lists.addAll(more);
                fused = ReciprocalRankFusion.fuse(lists, rrfK);
            }
        }
        for (Adjustment adjustment : adjustments) {
            fused = adjustment.apply(search, fused);
        }
        return fused;
    }
}
