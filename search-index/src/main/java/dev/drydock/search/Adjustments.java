package dev.drydock.search;

import dev.drydock.search.FileRanking.Adjustment;
import dev.drydock.search.fusion.Fused;
import dev.drydock.search.fusion.HeadFill;
import dev.drydock.search.fusion.Prior;
import dev.drydock.search.graph.NameRelations;
import dev.drydock.search.graph.SymbolGraph;
import dev.drydock.search.ingest.FileRole;
import java.io.IOException;
import java.util.List;

/** The last stages of {@link FileRanking}: changes to the fused list itself. */
final class Adjustments {
    /** The head whose last place a name relative of it may take, and how deep it is looked for. */
    static final int FILL_HEAD = 10;

    static final int FILL_DEPTH = 50;

    private Adjustments() {}

    static List<Adjustment> all(CodeSearch index, RankingSettings settings) {
        return List.of(new NonCodePrior(settings), new NameRelativeFill(index, settings));
    }

    /** Hybrid: tests and documentation ({@link FileRole}) score {@code nonCodeFactor} times theirs. */
    record NonCodePrior(RankingSettings settings) implements Adjustment {
        @Override
        public List<Fused<FileKey>> apply(FileSearch s, List<Fused<FileKey>> fused) {
            if (!s.hybrid() || settings.nonCodeFactor() == 1.0) {
                return fused;
            }
            return Prior.apply(fused, key -> switch (FileRole.of(key.path())) {
                case TEST, DOCS -> settings.nonCodeFactor();
                case CODE, OTHER -> 1.0;
            });
        }
    }

    /** Hybrid: rank {@link #FILL_HEAD} goes to the best name relative of the head down to {@link #FILL_DEPTH}. */
    record NameRelativeFill(CodeSearch index, RankingSettings settings) implements Adjustment {
        @Override
        public List<Fused<FileKey>> apply(FileSearch s, List<Fused<FileKey>> fused) throws IOException {
            if (!s.hybrid() || !settings.relativeFill()) {
                return fused;
            }
            SymbolGraph names = index.symbolGraph();
            return HeadFill.apply(
                    fused,
                    FILL_HEAD,
                    FILL_DEPTH,
                    (key, head) -> NameRelations.related(
                            key.key(),
                            head.stream().map(FileKey::key).toList(),
                            name -> names.filesNamed(name, s.query().readableRepos())));
        }
    }
}
