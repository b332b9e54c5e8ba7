package dev.drydock.server.session;

import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.classification.Classification;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@code remember} tool's store: {@code droid_memory}, scoped to the session's repo or workspace.
 * Each fact is stored with the session's classification at the time it was written, and recalled only
 * by sessions at that level or above: newest first, at most {@link #RECALL_LIMIT} facts and {@link
 * #RECALL_CHARS} characters.
 */
final class StoredMemory implements Memory {
    /** Most facts one session recalls. */
    static final int RECALL_LIMIT = 30;
    /** Most characters of facts one session recalls (about 2,000 tokens of its prompt). */
    static final int RECALL_CHARS = 8_000;

    private final EntityManager em;
    private final String workspace;
    private final String repo;
    private final UUID session;
    private final Clock clock;
    private final Supplier<Classification> level;

    /** @param level the session's classification now: what it writes is labelled so, what it recalls is at most that */
    StoredMemory(
            EntityManager em,
            String workspace,
            String repo,
            UUID session,
            Clock clock,
            Supplier<Classification> level) {
        this.em = em;
        this.workspace = workspace;
        this.repo = repo;
        this.session = session;
        this.clock = clock;
        this.level = level;
    }

    @Override
    public void remember(Scope scope, String text) {
        String r = switch (scope) {
            case REPO -> repo;
            case WORKSPACE -> "";
        };
        String label = level.get().label();
        QuarkusTransaction.joiningExisting()
                .run(() -> em.createNativeQuery(
                                "insert into droid_memory(workspace, repo, text, session_id, created_at, classification) values (?1, ?2, ?3, ?4, ?5, ?6)")
                        .setParameter(1, workspace)
                        .setParameter(2, r)
                        .setParameter(3, text)
                        .setParameter(4, session)
                        .setParameter(5, clock.instant())
                        .setParameter(6, label)
                        .executeUpdate());
    }

    @Override
    public List<String> recall() {
        Classification at = level.get();
        List<String> cleared = Arrays.stream(Classification.values())
                .filter(at::clears)
                .map(Classification::label)
                .toList();
        @SuppressWarnings("unchecked")
        List<String> newest = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "select text from droid_memory where workspace = ?1 and (repo = '' or repo = ?2) and classification in (?3) order by id desc limit ?4")
                        .setParameter(1, workspace)
                        .setParameter(2, repo)
                        .setParameter(3, cleared)
                        .setParameter(4, RECALL_LIMIT)
                        .getResultList());
        List<String> out = new ArrayList<>();
        int chars = 0;
        for (String text : newest) {
            chars += text.length();
            if (chars > RECALL_CHARS) {
                break;
            }
            out.add(text);
        }
        return out;
    }
}
