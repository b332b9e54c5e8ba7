package dev.drydock.server.workspace;

import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the workspace policy (table {@code workspace}, written by {@link WorkspaceService}) as droid
 * sessions need it: the autonomy level, and which droids and model routes may run. Plain JDBC, so
 * that session threads read it without a persistence context.
 */
@ApplicationScoped
public class WorkspaceSettings {
    /** The policy's default when the workspace has no row yet. */
    static final Autonomy DEFAULT_AUTONOMY = Autonomy.APPROVE_WRITES;

    @Inject DataSource ds;

    /** A workspace's policy as sessions use it. */
    public record Policy(Autonomy autonomy, List<String> allowedDroids, List<String> allowedRoutes) {
        public boolean allowsDroid(String droid) {
            return allowedDroids.contains(droid);
        }

        public boolean allowsRoute(String route) {
            return allowedRoutes.contains("*") || allowedRoutes.contains(route);
        }
    }

    /** The workspace's policy; the default policy when the workspace has no row yet. */
    public Policy policy(String workspace) {
        return query("select autonomy, allowed_droids, allowed_routes from workspace where slug = ?",
                        rs -> new Policy(Autonomy.ofLabel(rs.getString(1)), List.of(rs.getString(2).split(",")), List.of(rs.getString(3).split(","))),
                        workspace)
                .stream().findFirst()
                .orElse(new Policy(DEFAULT_AUTONOMY, List.of("code", "knowledge", "reliability"), List.of("*")));
    }

    /** The workspace's data classification label (the gateway only sends it to endpoints cleared for it). */
    public String classification(String workspace) {
        return query("select classification from workspace where slug = ?", rs -> rs.getString(1), workspace).stream().findFirst().orElse(Classification.INTERNAL.label());
    }

    /**
     * The classification of a session's content: the higher of its workspace's and, when the session
     * works on a repository registered in the workspace, that repository's label.
     */
    public String classification(String workspace, String repo) {
        String label = classification(workspace);
        if (repo.isEmpty()) {
            return label;
        }
        for (String repoLabel : query("select classification from repository where workspace = ? and name = ?", rs -> rs.getString(1), workspace, repo)) {
            if (rank(repoLabel) > rank(label)) {
                label = repoLabel;
            }
        }
        return label;
    }

    private static int rank(String label) {
        return Classification.parse(label).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
    }

    public Autonomy autonomy(String workspace) {
        return policy(workspace).autonomy();
    }

    /** Refuses (403) a droid or route the workspace policy does not allow. */
    public void requireAllowed(String workspace, String droid, String route) {
        Policy p = policy(workspace);
        if (!p.allowsDroid(droid)) {
            throw ProblemException.forbidden("the " + droid + " droid is not allowed in workspace " + workspace + " (allowed: " + String.join(", ", p.allowedDroids()) + ")");
        }
        if (!p.allowsRoute(route)) {
            throw ProblemException.forbidden("model route '" + route + "' is not allowed in workspace " + workspace);
        }
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, String... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }
}
