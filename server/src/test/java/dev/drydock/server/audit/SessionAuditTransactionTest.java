package dev.drydock.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.testing.RealServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, hole 7 (the remaining gap): a session's audit record is written in the transaction that
 * appends the event it records, so an event that rolls back leaves no record and a committed event
 * always has one. Before, the record was written after the event committed, in a transaction of its own.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class SessionAuditTransactionTest {
    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    private long count(String sql, String session) throws Exception {
        try (Connection c = RealServices.get().appConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, sql.contains("session_event") ? UUID.fromString(session) : session);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long approvals(String session) throws Exception {
        return count("select count(*) from audit_record where session_id = ? and action = 'approval.granted'", session);
    }

    private long approvalEvents(String session) throws Exception {
        return count(
                "select count(*) from session_event where session_id = ? and type like 'action.approved%'", session);
    }

    @Test
    void shouldLeaveNoAuditRecordWhenTheApprovalsTransactionRollsBack() throws Exception {
        // Given a started session
        String session = SessionAuditorTest.newSession(ds);
        log.append(session, Source.USER, new Lifecycle.SessionStarted("code", "fix it", "demo", "calc", "abc123"));

        // When an approval is appended in a transaction that then fails
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    log.append(session, Source.USER, new Oversight.ActionApproved("c1", "wanda"));
                    throw new IllegalStateException("the action failed after its event was appended");
                }))
                .hasMessageContaining("the action failed");

        // Then neither the event nor its audit record exists
        assertThat(approvalEvents(session)).isZero();
        assertThat(approvals(session)).isZero();
    }

    @Test
    void shouldCommitTheAuditRecordWithTheApprovalWhenItsTransactionCommits() throws Exception {
        // Given a started session
        String session = SessionAuditorTest.newSession(ds);
        log.append(session, Source.USER, new Lifecycle.SessionStarted("code", "fix it", "demo", "calc", "abc123"));

        // When an approval is appended in a transaction that also does other work and commits
        QuarkusTransaction.requiringNew().run(() -> {
            log.append(session, Source.USER, new Oversight.ActionApproved("c1", "wanda"));
            log.append(session, Source.USER, new Oversight.CancelRequested("wanda"));
        });

        // Then
        assertThat(approvalEvents(session)).isEqualTo(1);
        assertThat(approvals(session)).isEqualTo(1);
        assertThat(count(
                        "select count(*) from audit_record where session_id = ? and action = 'session.cancel-requested'",
                        session))
                .isEqualTo(1);
    }
}
