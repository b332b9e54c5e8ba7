package dev.drydock.server.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ProblemMappersClientGoneTest {
    @Test
    void shouldTellAClosedConnectionFromAServerFaultWhenAnAnswerFailsToWrite() {
        // Given
        Throwable closed = new IOException(new IOException("Failed to write"));
        Throwable reset = new UncheckedIOException(new IOException("Connection reset by peer"));
        Throwable fault = new IOException("No space left on device");

        // When / Then
        assertThat(ProblemMappers.clientGone(closed)).isTrue();
        assertThat(ProblemMappers.clientGone(reset)).isTrue();
        assertThat(ProblemMappers.clientGone(fault)).isFalse();
        assertThat(ProblemMappers.clientGone(new IllegalStateException("Failed to write")))
                .isFalse();
    }
}
