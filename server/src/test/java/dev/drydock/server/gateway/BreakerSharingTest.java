package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.gateway.core.CircuitBreaker;
import dev.drydock.server.persistence.NativeSql;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Circuit breakers agree across replicas through PostgreSQL (issue 21). */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class BreakerSharingTest {
    /** An endpoint of these tests alone: no other test's requests meet its breaker. */
    private final String endpoint = "breaker-" + UUID.randomUUID();

    @Inject
    GatewayService gateway;

    @Inject
    BreakerSharing sharing;

    @Inject
    NativeSql sql;

    @AfterEach
    void forget() {
        sql.update("delete from endpoint_breaker where endpoint = ?1", endpoint);
    }

    @Test
    void shouldKeepEndpointOpenHereWhenAnotherReplicaRecordedItsBreakerOpen() throws Exception {
        // When another replica records that its breaker of the endpoint opened for a minute
        sql.update(
                "insert into endpoint_breaker(endpoint, open_until, opened_by, opened_at) values (?1, ?2, 'other-replica', ?3)",
                endpoint,
                Instant.now().plusSeconds(60),
                Instant.now());

        // Then this replica's breaker of it reads open within its next look (every 2 s)
        CircuitBreaker.State state = Poll.until(
                () -> gateway.breakerState(endpoint), s -> s == CircuitBreaker.State.OPEN, Duration.ofSeconds(20));
        assertThat(state).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void shouldRecordOpeningForOtherReplicasButNotReadItsOwnBack() {
        // Given
        Instant until = Instant.now().plusSeconds(30);

        // When this replica's breaker opens
        sharing.opened(endpoint, until, Instant.now());

        // Then the opening is in the table for the others, and this replica does not adopt its own
        Object recorded =
                sql.one("select count(*) from endpoint_breaker where endpoint = ?1 and open_until > now()", endpoint);
        assertThat(((Number) recorded).longValue()).isEqualTo(1);
        assertThat(sharing.elsewhere(Instant.now())).noneMatch(o -> o.endpoint().equals(endpoint));
    }
}
