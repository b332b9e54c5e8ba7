package dev.drydock.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTargetCheckTest {
    @Test
    void shouldRefuseNulMalformedEscapesAndNonUtf8WhenTheyAreInThePathOrQuery() {
        // Given
        List<String> bad = List.of("/api/workspaces/a%00b", "/x/%zz", "/x/%", "/x/%FF%FE", "/x/%C0%AE", "/x/%ED%A0%80");

        // When
        List<String> faults =
                bad.stream().map(p -> RequestTargetCheck.fault("path", p)).toList();

        // Then
        assertThat(faults).doesNotContainNull();
        assertThat(faults.getFirst()).contains("NUL");
        assertThat(faults.get(1)).contains("malformed percent escape");
        assertThat(faults.get(3)).contains("not valid UTF-8");
    }

    @Test
    void shouldAcceptUnicodeAndEncodedTextWhenItIsValidUtf8() {
        // Given
        List<String> good = List.of(
                "/api/workspaces/demo", "q=%E2%98%83+snow%2F%25", "/portal/sessions/%F0%9F%92%A9", "", "a=b&c=");

        // When
        List<String> faults =
                good.stream().map(p -> RequestTargetCheck.fault("query", p)).toList();

        // Then
        assertThat(faults).containsOnlyNulls();
    }
}
