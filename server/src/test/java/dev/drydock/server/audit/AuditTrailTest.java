package dev.drydock.server.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class AuditTrailTest {
    @Inject
    AuditTrail trail;

    @Inject
    AuditCheckpoints checkpoints;

    @Inject
    AuditConfig config;

    @Inject
    DataSource dataSource;

    @Test
    void shouldKeepOneValidChainWhenAppendsAreConcurrent() throws Exception {
        // Given
        long before = trail.verify().checked();
        List<Callable<AuditRecord>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            appends.add(() -> trail.append(
                    AuditEntry.of("tester", "test.concurrent", "item-" + n).with("n", n)));
        }

        // When
        List<AuditRecord> records = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<AuditRecord> f : pool.invokeAll(appends)) {
                records.add(f.get());
            }
        }

        // Then
        AuditVerification.Result result = trail.verify();
        assertThat(result.intact()).as(result.reason().orElse("")).isTrue();
        assertThat(result.checked()).isGreaterThanOrEqualTo(before + 200);
        assertThat(records).extracting(AuditRecord::seq).doesNotHaveDuplicates();
    }

    @Test
    void shouldReportTamperedRowWhenContentsChangeInTheDatabase() throws Exception {
        // Given
        trail.append(AuditEntry.of("tester", "test.before", "a"));
        AuditRecord victim = trail.append(
                AuditEntry.of("tester", "policy.changed", "workspace demo").with("autonomy", "suggest"));
        trail.append(AuditEntry.of("tester", "test.after", "c"));
        String original = victim.details();

        // When the table's owner rewrites history
        asOwnerWithoutTriggers(
                "update audit_record set details = '{\"autonomy\":\"full-auto\"}' where seq = " + victim.seq());
        AuditVerification.Result result;
        CliRun cli;
        try {
            result = trail.verify();
            cli = verifyCli();
        } finally {
            asOwnerWithoutTriggers("update audit_record set details = '" + original.replace("'", "''")
                    + "' where seq = " + victim.seq());
        }

        // Then
        assertThat(result.intact()).isFalse();
        assertThat(result.brokenAt()).contains(victim.seq());
        assertThat(result.reason().orElseThrow()).contains("contents changed");
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.out()).as(cli.err()).contains("BROKEN at record " + victim.seq());
        assertThat(trail.verify().intact()).isTrue();
    }

    @Test
    void shouldReportTruncationWhenTheOwnerDeletesTheNewestRecordsAfterACheckpoint() throws Exception {
        // Given three records covered by a signed checkpoint
        trail.append(AuditEntry.of("tester", "test.kept", "a"));
        AuditRecord firstGone = trail.append(AuditEntry.of("tester", "approval.denied", "the evidence"));
        AuditRecord head = trail.append(AuditEntry.of("tester", "test.gone", "c"));
        AuditCheckpoint checkpoint = checkpoints.checkpoint(true).orElseThrow();
        List<AuditRecord> deleted = page(firstGone.seq() - 1, 10, null);

        // When the owner deletes the newest records (the old verify found nothing wrong with that)
        asOwnerWithoutTriggers("delete from audit_record where seq >= " + firstGone.seq());
        AuditVerification.Result chainOnly;
        AuditVerification.Result result;
        CliRun cli;
        io.restassured.response.Response api;
        try {
            chainOnly = trail.verify();
            result = checkpoints.verify();
            cli = verifyCli();
            api = given().auth().oauth2(Tokens.of("alice")).when().get("/api/admin/audit/verify");
        } finally {
            reinsert(deleted);
        }

        // Then
        assertThat(checkpoint.seq()).isEqualTo(head.seq());
        assertThat(chainOnly.intact()).isTrue();
        assertThat(result.intact()).isFalse();
        assertThat(result.brokenAt()).contains(firstGone.seq());
        assertThat(result.reason().orElseThrow())
                .startsWith("truncated: the chain ends at record " + (firstGone.seq() - 1))
                .contains("records " + firstGone.seq() + " to " + head.seq() + " were deleted");
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.out()).as(cli.err()).contains("BROKEN at record " + firstGone.seq() + ": truncated");
        api.then()
                .statusCode(200)
                .body("intact", equalTo(false))
                .body("brokenAt", equalTo((int) firstGone.seq()))
                .body("checkpoint.seq", equalTo((int) head.seq()));
        assertThat(api.jsonPath().getString("reason")).startsWith("truncated");
        assertThat(checkpoints.verify().intact()).isTrue();
    }

    @Test
    void shouldReportRehashingWhenTheOwnerRewritesARecordAndRehashesTheRest() throws Exception {
        // Given a record and two after it, covered by a signed checkpoint
        AuditRecord victim = trail.append(
                AuditEntry.of("tester", "policy.changed", "workspace demo").with("autonomy", "suggest"));
        trail.append(AuditEntry.of("tester", "test.after", "b"));
        AuditRecord head = trail.append(AuditEntry.of("tester", "test.after", "c"));
        assertThat(checkpoints.checkpoint(true)).as("a checkpoint is written").isPresent();
        List<AuditRecord> originals = page(victim.seq() - 1, 10, null);

        // When the owner rewrites the record and recomputes every later hash, so the chain links again
        List<AuditRecord> forged = new ArrayList<>();
        String prev = victim.prevHash();
        for (AuditRecord r : originals) {
            String details = r.seq() == victim.seq() ? "{\"autonomy\":\"full-auto\"}" : r.details();
            String hash = AuditRecord.hashOf(
                    r.seq(),
                    r.recordedAt(),
                    r.actor(),
                    r.workspace(),
                    r.sessionId(),
                    r.action(),
                    r.target(),
                    details,
                    prev);
            forged.add(new AuditRecord(
                    r.seq(),
                    r.recordedAt(),
                    r.actor(),
                    r.workspace(),
                    r.sessionId(),
                    r.action(),
                    r.target(),
                    details,
                    prev,
                    hash));
            prev = hash;
        }
        overwrite(forged);
        AuditVerification.Result chainOnly;
        AuditVerification.Result result;
        CliRun cli;
        try {
            chainOnly = trail.verify();
            result = checkpoints.verify();
            cli = verifyCli();
        } finally {
            overwrite(originals);
        }

        // Then
        assertThat(chainOnly.intact()).isTrue();
        assertThat(result.intact()).isFalse();
        assertThat(result.brokenAt()).contains(head.seq());
        assertThat(result.reason().orElseThrow())
                .startsWith("rehashed: record " + head.seq() + "'s hash")
                .contains("rewritten");
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.out()).as(cli.err()).contains("BROKEN at record " + head.seq() + ": rehashed");
        assertThat(checkpoints.verify().intact()).isTrue();
    }

    @Test
    void shouldRefuseToSignWhenTheCheckpointedRecordIsGone() throws Exception {
        // Given a checkpoint over the newest record, which the owner then deletes
        AuditRecord head = trail.append(AuditEntry.of("tester", "test.signed", "x"));
        assertThat(checkpoints.checkpoint(true)).as("a checkpoint is written").isPresent();
        List<AuditRecord> deleted = page(head.seq() - 1, 1, null);
        asOwnerWithoutTriggers("delete from audit_record where seq = " + head.seq());

        // When the next checkpoint is due
        Optional<AuditCheckpoint> next;
        try {
            next = checkpoints.checkpoint(true);
        } finally {
            reinsert(deleted);
        }

        // Then the truncated chain is not blessed with a signature
        assertThat(next).isEmpty();
        assertThat(checkpoints.log().newest().orElseThrow().seq()).isEqualTo(head.seq());
    }

    @Test
    void shouldSignTheHeadIntoAFileWithAnOwnerOnlyKeyOutsideTheDatabase() throws Exception {
        // Given
        AuditRecord head = trail.append(AuditEntry.of("tester", "test.checkpoint", "x"));

        // When
        AuditCheckpoint checkpoint = checkpoints.checkpoint(false).orElseThrow();

        // Then
        assertThat(checkpoint.seq()).isGreaterThanOrEqualTo(head.seq());
        assertThat(Files.readAllLines(checkpoints.file()).getLast()).isEqualTo(checkpoint.line());
        Path key = Path.of(config.checkpointKey()).toAbsolutePath();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(CheckpointKey.verifier(CheckpointKey.publicFile(key)).verifies(checkpoint))
                .isTrue();
        assertThat(checkpoints.checkpoint(false))
                .as("an unchanged head is not signed again")
                .isEmpty();
        try (Connection c = RealServices.get().ownerConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from audit_record where details like '%"
                        + checkpoint.signature().substring(0, 20) + "%'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void shouldRefuseUpdateDeleteTruncateAndTriggerChangesThroughTheApplicationRole() throws Exception {
        // Given
        AuditRecord record = trail.append(AuditEntry.of("tester", "test.immutable", "x"));

        // When
        List<String> refusals = new ArrayList<>();
        for (String sql : List.of(
                "update audit_record set target = 'y' where seq = " + record.seq(),
                "delete from audit_record where seq = " + record.seq(),
                "truncate audit_record",
                "alter table audit_record disable trigger audit_record_no_update",
                "set drydock.audit_maintenance = 'on'; delete from audit_record where seq = " + record.seq())) {
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.execute(sql);
                refusals.add("ACCEPTED: " + sql);
            } catch (SQLException e) {
                refusals.add(e.getMessage());
            }
        }

        // Then
        assertThat(refusals)
                .allSatisfy(message -> assertThat(message).containsAnyOf("permission denied", "must be owner"));
        assertThat(page(record.seq() - 1, 1, null)).containsExactly(record);
    }

    @Test
    void shouldRefuseUpdateDeleteAndTruncateEvenForTheOwnerWhileTheTriggersAreOn() throws Exception {
        // Given
        AuditRecord record = trail.append(AuditEntry.of("tester", "test.immutable", "x"));

        // When
        List<String> refusals = new ArrayList<>();
        for (String sql : List.of(
                "delete from audit_record where seq = " + record.seq(),
                "truncate audit_record",
                "set drydock.audit_maintenance = 'on'; update audit_record set target = 'y' where seq = "
                        + record.seq())) {
            try (Connection c = RealServices.get().ownerConnection();
                    Statement s = c.createStatement()) {
                s.execute(sql);
                refusals.add("ACCEPTED: " + sql);
            } catch (SQLException e) {
                refusals.add(e.getMessage());
            }
        }

        // Then
        assertThat(refusals).allSatisfy(message -> assertThat(message).contains("append-only"));
    }

    @Test
    void shouldRefuseTheApplicationRoleSuperuserRightsWhenConnected() throws Exception {
        // Given
        String sql =
                "select rolsuper or rolcreaterole or rolcreatedb or rolbypassrls, current_user from pg_roles where rolname = current_user";

        // When
        boolean privileged;
        String user;
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            privileged = rs.getBoolean(1);
            user = rs.getString(2);
        }

        // Then
        assertThat(user).isEqualTo(RealServices.get().db().user());
        assertThat(privileged).isFalse();
    }

    @Test
    void shouldVerifyThroughCliWhenChainIsIntact() throws Exception {
        // Given
        trail.append(AuditEntry.of("tester", "test.cli", "x"));
        checkpoints.checkpoint(false);

        // When
        CliRun cli = verifyCli();

        // Then
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("audit chain intact").contains("matches the signed checkpoint of");
    }

    @Test
    void shouldExportJsonLinesToAdminsOnly() {
        // Given
        AuditRecord record = trail.append(
                AuditEntry.of("tester", "test.export", "exported-target").inWorkspace("demo"));

        // When
        String body = given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/admin/audit/export?afterSeq=" + (record.seq() - 1))
                .then()
                .statusCode(200)
                .extract()
                .asString();

        // Then
        assertThat(body.lines().findFirst().orElseThrow())
                .contains("\"seq\":" + record.seq())
                .contains("\"target\":\"exported-target\"")
                .contains("\"hash\":\"" + record.hash() + "\"");
        given().auth()
                .oauth2(Tokens.of("mike"))
                .when()
                .get("/api/admin/audit/export")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().when().get("/api/admin/audit/verify").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.of("alice"))
                .when()
                .get("/api/admin/audit/verify")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true));
    }

    private List<AuditRecord> page(long afterSeq, int limit, String workspace) {
        return QuarkusTransaction.requiringNew().call(() -> trail.page(afterSeq, limit, workspace));
    }

    private CliRun verifyCli() throws Exception {
        Path password = Files.createTempFile("db-password", "");
        Files.writeString(password, RealServices.get().db().credentials().app());
        try {
            return CliRun.of(
                    "audit",
                    "verify",
                    "--db-url",
                    RealServices.get().db().jdbcUrl("drydock"),
                    "--db-user",
                    RealServices.get().db().user(),
                    "--db-password-file",
                    password.toString(),
                    "--checkpoints",
                    checkpoints.file().toString(),
                    "--public-key",
                    CheckpointKey.publicFile(Path.of(config.checkpointKey()).toAbsolutePath())
                            .toString());
        } finally {
            Files.delete(password);
        }
    }

    /** What the table's owner can do: switch the append-only triggers off for one transaction. */
    private static void asOwnerWithoutTriggers(String... statements) throws SQLException {
        try (Connection c = RealServices.get().ownerConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table audit_record disable trigger user");
            for (String sql : statements) {
                s.execute(sql);
            }
            s.execute("alter table audit_record enable trigger user");
            c.commit();
        }
    }

    private static void reinsert(List<AuditRecord> records) throws SQLException {
        try (Connection c = RealServices.get().ownerConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into audit_record(seq, recorded_at, actor, workspace, session_id, action, target, details, prev_hash, hash) "
                                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditRecord r : records) {
                ps.setLong(1, r.seq());
                ps.setString(2, r.recordedAt());
                ps.setString(3, r.actor());
                ps.setString(4, r.workspace());
                ps.setString(5, r.sessionId());
                ps.setString(6, r.action());
                ps.setString(7, r.target());
                ps.setString(8, r.details());
                ps.setString(9, r.prevHash());
                ps.setString(10, r.hash());
                ps.executeUpdate();
            }
        }
    }

    private static void overwrite(List<AuditRecord> records) throws SQLException {
        try (Connection c = RealServices.get().ownerConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table audit_record disable trigger user");
            try (PreparedStatement ps =
                    c.prepareStatement("update audit_record set details = ?, prev_hash = ?, hash = ? where seq = ?")) {
                for (AuditRecord r : records) {
                    ps.setString(1, r.details());
                    ps.setString(2, r.prevHash());
                    ps.setString(3, r.hash());
                    ps.setLong(4, r.seq());
                    ps.executeUpdate();
                }
            }
            s.execute("alter table audit_record enable trigger user");
            c.commit();
        }
    }
}
