package dev.drydock.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Refusals name the session a request was made for, and only while the thread works for it. */
class EgressAttributionTest {
    final List<EgressRefusal> refused = new CopyOnWriteArrayList<>();
    final EgressGuard guard = new EgressGuard(
            List.of("models.internal"),
            refused::add,
            Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));

    void attempt(String host) {
        assertThatThrownBy(() -> guard.check(URI.create("https://" + host + "/x"), "test"))
                .isInstanceOf(EgressRefusedException.class);
    }

    @Test
    void shouldNameTheSessionOfTheThreadOnlyWhileItWorksForItWhenRequestsAreRefused() throws Exception {
        // Given
        List<String> otherThread = new ArrayList<>();

        // When requests are refused before, inside nested attributions, in another thread, and after
        attempt("before.example");
        try (EgressGuard.Attribution outer = EgressGuard.onBehalfOf("s-1")) {
            attempt("outer.example");
            try (EgressGuard.Attribution inner = EgressGuard.onBehalfOf("s-2")) {
                attempt("inner.example");
            }
            attempt("outer-again.example");
            Thread t = Thread.ofVirtual().start(() -> {
                attempt("thread.example");
                otherThread.add("done");
            });
            t.join();
        }
        attempt("after.example");

        // Then
        assertThat(otherThread).containsExactly("done");
        assertThat(refused)
                .extracting(r -> r.host() + "=" + r.session())
                .containsExactly(
                        "before.example=null",
                        "outer.example=s-1",
                        "inner.example=s-2",
                        "outer-again.example=s-1",
                        "thread.example=null",
                        "after.example=null");
    }
}
