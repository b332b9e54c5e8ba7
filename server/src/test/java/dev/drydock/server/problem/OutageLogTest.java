package dev.drydock.server.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class OutageLogTest {
    /** A connection lost (SQL state 08006), as Hibernate wraps it. */
    static final PersistenceException LOST =
            new PersistenceException(new SQLException("An I/O error occurred while sending to the backend.", "08006"));

    final List<String> lines = new ArrayList<>();
    final Logger logger = new Logger("test") {
        @Override
        protected void doLog(Level level, String loggerClassName, Object message, Object[] parameters, Throwable t) {
            lines.add(level + " " + message);
        }

        @Override
        protected void doLogf(
                Level level, String loggerClassName, String format, Object[] parameters, Throwable thrown) {
            if (level != Level.DEBUG) {
                lines.add(level + " " + String.format(format, parameters) + (thrown == null ? "" : " +stack"));
            }
        }

        @Override
        public boolean isEnabled(Level level) {
            return true;
        }
    };

    @Test
    void shouldLogOneWarningPerOutageWhenEveryRoundOfALoopFails() {
        // Given a loop whose rounds meet an unreachable database five times, then reach it
        OutageLog outages = new OutageLog(logger, "session leases");
        Runnable failing = () -> {
            throw LOST;
        };

        // When the loop runs its rounds
        for (int i = 0; i < 5; i++) {
            outages.run(failing);
        }
        outages.run(() -> {});

        // Then one warning without a stack trace began the outage and one line ended it
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst())
                .startsWith("WARN session leases: PostgreSQL is not reachable")
                .doesNotContain("+stack");
        assertThat(lines.getLast()).startsWith("INFO session leases: PostgreSQL answers again after");
        assertThat(outages.ongoing()).isFalse();
    }

    @Test
    void shouldLeaveOtherFailuresToTheCallerWhenTheDatabaseIsReachable() {
        // Given a round that fails for a bug
        OutageLog outages = new OutageLog(logger, "migration scheduler");

        // When / Then it propagates, and nothing was logged
        assertThatThrownBy(() -> outages.run(() -> {
                    throw new IllegalStateException("a bug");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(lines).isEmpty();
    }
}
