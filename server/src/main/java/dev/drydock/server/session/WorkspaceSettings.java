package dev.drydock.server.session;

import dev.drydock.server.agent.tool.Autonomy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/** Per-workspace droid settings (autonomy level). */
@ApplicationScoped
public class WorkspaceSettings {
    @Inject DataSource ds;
    @Inject SessionConfig config;

    public Autonomy autonomy(String workspace) {
        return Sql.query(ds, "select autonomy from workspace_droid_settings where workspace = ?", rs -> Autonomy.valueOf(rs.getString(1)), workspace)
                .stream().findFirst().orElse(config.defaultAutonomy());
    }

    public void setAutonomy(String workspace, Autonomy autonomy) {
        Sql.update(ds, "insert into workspace_droid_settings(workspace, autonomy) values (?, ?) on conflict (workspace) do update set autonomy = excluded.autonomy",
                workspace, autonomy.name());
    }
}
