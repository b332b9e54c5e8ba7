package dev.drydock.server.session;

import dev.drydock.server.agent.tool.Memory;
import dev.drydock.server.classification.Classification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code remember} tool's store: {@code droid_memory}, scoped to the session's repo or workspace.
 * Each fact is stored with the session's classification at the time it was written, and recalled only
 * by sessions at that level or above: newest first, at most {@link #RECALL_LIMIT} facts and {@link
 * #RECALL_CHARS} characters.
 */
final class JdbcMemory implements Memory {
    /** Most facts one session recalls. */
    static final int RECALL_LIMIT = 30;
    /** Most characters of facts one session recalls (about 2,000 tokens of its prompt). */
    static final int RECALL_CHARS = 8_000;

    private final DataSource ds;
    private final String workspace;
    private final String repo;
    private final UUID session;
    private final Clock clock;
    private final Supplier<Classification> level;

    /** @param level the session's classification now: what it writes is labelled so, what it recalls is at most that */
    JdbcMemory(DataSource ds, String workspace, String repo, UUID session, Clock clock, Supplier<Classification> level) {
        this.ds = ds;
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
        Sql.update(ds, "insert into droid_memory(workspace, repo, text, session_id, created_at, classification) values (?, ?, ?, ?, ?, ?)",
                workspace, r, text, session, clock.instant(), level.get().label());
    }

    @Override
    public List<String> recall() {
        Classification at = level.get();
        List<String> cleared = Arrays.stream(Classification.values()).filter(at::clears).map(Classification::label).toList();
        String in = String.join(", ", Collections.nCopies(cleared.size(), "?"));
        List<Object> params = new ArrayList<>(List.of(workspace, repo));
        params.addAll(cleared);
        params.add(RECALL_LIMIT);
        List<String> newest = Sql.query(ds, "select text from droid_memory where workspace = ? and (repo = '' or repo = ?) and classification in (" + in + ")"
                + " order by id desc limit ?", rs -> rs.getString(1), params.toArray());
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
