package dev.drydock.server.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealServices.class)
class AuditTrailTest {
    @Inject AuditTrail trail;
    @Inject DataSource dataSource;

    @Test
    void shouldKeepOneValidChainWhenAppendsAreConcurrent() throws Exception {
        // Given
        long before = trail.verify().checked();
        List<Callable<AuditRecord>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            appends.add(() -> trail.append(AuditEntry.of("tester", "test.concurrent", "item-" + n).with("n", n)));
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
        AuditRecord victim = trail.append(AuditEntry.of("tester", "policy.changed", "workspace demo").with("autonomy", "suggest"));
        trail.append(AuditEntry.of("tester", "test.after", "c"));
        String original = victim.details();

        // When someone with database access rewrites history
        maintenanceUpdate("update audit_record set details = '{\"autonomy\":\"full-auto\"}' where seq = " + victim.seq());
        AuditVerification.Result result;
        CliRun cli;
        try {
            result = trail.verify();
            cli = CliRun.of("audit", "verify", "--db-url", RealServices.get().db().jdbcUrl("drydock"), "--db-user", RealServices.get().db().user());
        } finally {
            maintenanceUpdate("update audit_record set details = '" + original.replace("'", "''") + "' where seq = " + victim.seq());
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
    void shouldRefuseUpdatesAndDeletesThroughTheApplicationRole() {
        // Given
        AuditRecord record = trail.append(AuditEntry.of("tester", "test.immutable", "x"));

        // When / Then
        assertThatThrownBy(() -> plainUpdate("delete from audit_record where seq = " + record.seq()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
    }

    @Test
    void shouldVerifyThroughCliWhenChainIsIntact() {
        // Given
        trail.append(AuditEntry.of("tester", "test.cli", "x"));

        // When
        CliRun cli = CliRun.of("audit", "verify", "--db-url", RealServices.get().db().jdbcUrl("drydock"), "--db-user", RealServices.get().db().user());

        // Then
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("audit chain intact");
    }

    @Test
    void shouldExportJsonLinesToAdminsOnly() {
        // Given
        AuditRecord record = trail.append(AuditEntry.of("tester", "test.export", "exported-target").inWorkspace("demo"));

        // When
        String body = given().auth().oauth2(Tokens.of("alice")).when().get("/api/admin/audit/export?afterSeq=" + (record.seq() - 1))
                .then().statusCode(200).extract().asString();

        // Then
        assertThat(body.lines().findFirst().orElseThrow())
                .contains("\"seq\":" + record.seq())
                .contains("\"target\":\"exported-target\"")
                .contains("\"hash\":\"" + record.hash() + "\"");
        given().auth().oauth2(Tokens.of("mike")).when().get("/api/admin/audit/export").then().statusCode(403)
                .contentType("application/problem+json");
        given().when().get("/api/admin/audit/verify").then().statusCode(401);
        given().auth().oauth2(Tokens.of("alice")).when().get("/api/admin/audit/verify").then().statusCode(200).body("intact", equalTo(true));
    }

    private void maintenanceUpdate(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("set local drydock.audit_maintenance = 'on'");
            s.executeUpdate(sql);
            c.commit();
        }
    }

    private void plainUpdate(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
