package dev.drydock.server.session;

import dev.drydock.server.agent.tool.Memory;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The {@code remember} tool's store: {@code droid_memory}, scoped to the session's repo or workspace. */
final class JdbcMemory implements Memory {
    private final DataSource ds;
    private final String workspace;
    private final String repo;
    private final UUID session;
    private final Clock clock;

    JdbcMemory(DataSource ds, String workspace, String repo, UUID session, Clock clock) {
        this.ds = ds;
        this.workspace = workspace;
        this.repo = repo;
        this.session = session;
        this.clock = clock;
    }

    @Override
    public void remember(Scope scope, String text) {
        String r = switch (scope) {
            case REPO -> repo;
            case WORKSPACE -> "";
        };
        Sql.update(ds, "insert into droid_memory(workspace, repo, text, session_id, created_at) values (?, ?, ?, ?, ?)", workspace, r, text, session, clock.instant());
    }

    @Override
    public List<String> recall() {
        return Sql.query(ds, "select text from droid_memory where workspace = ? and (repo = '' or repo = ?) order by id limit 50", rs -> rs.getString(1), workspace, repo);
    }
}
