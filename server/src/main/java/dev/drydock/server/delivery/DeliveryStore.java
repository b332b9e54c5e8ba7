package dev.drydock.server.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Tables {@code repository_delivery} (a repository's git server) and {@code session_delivery} (what a session delivered). */
@ApplicationScoped
public class DeliveryStore {
    @Inject DataSource ds;

    /** A repository's delivery settings. */
    public record Settings(String workspace, String repo, GitServer.Kind kind, String apiUrl, String project, List<String> protectedBranches,
            String updatedBy, Instant updatedAt) {}

    /** What a session delivered so far. */
    public record Delivered(String sessionId, String branch, @Nullable String pushedCommit, @Nullable Instant pushedAt, @Nullable String pushedBy,
            @Nullable Long mrNumber, @Nullable String mrUrl, @Nullable Boolean mrDraft, @Nullable String mrCommit, @Nullable Instant mrUpdatedAt) {}

    Optional<Settings> settings(String workspace, String repo) {
        return query("select server_kind, api_url, project, protected_branches, updated_by, updated_at from repository_delivery where workspace = ? and repo = ?",
                rs -> new Settings(workspace, repo, GitServer.Kind.parse(rs.getString(1)).orElseThrow(), rs.getString(2), rs.getString(3),
                        BranchPolicy.parseGlobs(rs.getString(4)), rs.getString(5), rs.getTimestamp(6).toInstant()),
                workspace, repo).stream().findFirst();
    }

    void save(Settings s) {
        update("insert into repository_delivery(workspace, repo, server_kind, api_url, project, protected_branches, updated_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict (workspace, repo) do update set server_kind = excluded.server_kind, api_url = excluded.api_url, project = excluded.project, "
                        + "protected_branches = excluded.protected_branches, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                s.workspace(), s.repo(), s.kind().label(), s.apiUrl(), s.project(), String.join(",", s.protectedBranches()), s.updatedBy(), Timestamp.from(s.updatedAt()));
    }

    Optional<Delivered> delivered(String sessionId) {
        return query("select branch, pushed_commit, pushed_at, pushed_by, mr_number, mr_url, mr_draft, mr_commit, mr_updated_at from session_delivery where session_id = ?",
                rs -> new Delivered(sessionId, rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4),
                        rs.getObject(5) == null ? null : rs.getLong(5), rs.getString(6), rs.getObject(7) == null ? null : rs.getBoolean(7),
                        rs.getString(8), instant(rs.getTimestamp(9))),
                UUID.fromString(sessionId)).stream().findFirst();
    }

    void pushed(String sessionId, String workspace, String repo, String branch, String commit, String by, Instant at) {
        update("insert into session_delivery(session_id, workspace, repo, branch, pushed_commit, pushed_at, pushed_by) values (?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict (session_id) do update set branch = excluded.branch, pushed_commit = excluded.pushed_commit, pushed_at = excluded.pushed_at, pushed_by = excluded.pushed_by",
                UUID.fromString(sessionId), workspace, repo, branch, commit, Timestamp.from(at), by);
    }

    void mergeRequest(String sessionId, GitServer.MergeRequest mr, String commit, Instant at) {
        update("update session_delivery set mr_number = ?, mr_url = ?, mr_draft = ?, mr_commit = ?, mr_updated_at = ? where session_id = ?",
                mr.number(), mr.url(), mr.draft(), commit, Timestamp.from(at), UUID.fromString(sessionId));
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("delivery query failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("delivery update failed: " + e.getMessage(), e);
        }
    }
}
