package dev.drydock.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.auth.IdentityConfig;
import dev.drydock.server.testing.Poll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The refusal records' rate limit per client address, with a fixed clock and an in-memory trail. */
class AccessAuditorTest {
    final List<AuditEntry> appended = new CopyOnWriteArrayList<>();

    AccessAuditor auditor(int perMinute, Clock clock) {
        AccessAuditor a = new AccessAuditor();
        a.trail = new AuditTrail() {
            @Override
            public AuditRecord append(AuditEntry entry) {
                appended.add(entry);
                return null;
            }
        };
        a.identity = new IdentityConfig() {
            @Override
            public Duration membershipCache() {
                return Duration.ofSeconds(30);
            }

            @Override
            public String clientId() {
                return "drydock-server";
            }

            @Override
            public Optional<String> clientSecret() {
                return Optional.empty();
            }

            @Override
            public int refusalRecordsPerMinute() {
                return perMinute;
            }

            @Override
            public Duration signInProbeTtl() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration signInProbeTimeout() {
                return Duration.ofSeconds(2);
            }
        };
        a.clock = clock;
        return a;
    }

    @Test
    void shouldRecordAtMostTheLimitPerClientAndReportTheRestWithTheNextRecord() throws Exception {
        // Given a limit of 3 per minute
        Instant minute = Instant.parse("2026-11-26T10:00:00Z");
        AccessAuditor auditor = auditor(3, Clock.fixed(minute, ZoneOffset.UTC));

        // When one address is refused 5 times and another once
        for (int i = 0; i < 5; i++) {
            auditor.callerRefused("s", "mallory", "demo", "repo-" + i, 404, "/api/x", "10.0.0.1");
        }
        auditor.callerRefused("s", "bob", "demo", "repo", 404, "/api/x", "10.0.0.2");
        Poll.until(() -> appended.size(), n -> n == 4, Duration.ofSeconds(10), String::valueOf);
        auditor.clock = Clock.fixed(minute.plusSeconds(60), ZoneOffset.UTC);
        auditor.callerRefused("s", "mallory", "demo", "repo-next", 404, "/api/x", "10.0.0.1");

        // Then the first 3 of 10.0.0.1 and the one of 10.0.0.2 were recorded, and the next minute's record counts the 2
        // suppressed
        Poll.until(() -> appended.size(), n -> n == 5, Duration.ofSeconds(10), String::valueOf);
        assertThat(appended.stream()
                        .filter(e -> e.details().get("client").equals("10.0.0.1"))
                        .map(e -> e.details().get("object")))
                .containsExactlyInAnyOrder("repo-0", "repo-1", "repo-2", "repo-next");
        assertThat(appended.stream()
                        .filter(e -> e.details().get("object").equals("repo-next"))
                        .findFirst()
                        .orElseThrow()
                        .details())
                .containsEntry("suppressedBefore", "2");
    }
}
