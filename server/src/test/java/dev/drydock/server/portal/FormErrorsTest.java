package dev.drydock.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormErrorsTest {
    private static final List<String> FIELDS = List.of("name", "url", "path");

    @Test
    void shouldPlaceFieldErrorsOnTheirFieldsWhenProblemNamesThem() {
        // Given
        ProblemException e = new ProblemException(Problem.of(400, "invalid", "Invalid", "baseUrl is required")
                .withErrors(List.of(
                        new Problem.FieldError("baseUrl", "is required"),
                        new Problem.FieldError("name", "is too long"))));

        // When
        FormErrors errors = FormErrors.of(e, List.of("name", "url"), Map.of("baseUrl", "url"));

        // Then
        assertThat(errors.general()).isEmpty();
        assertThat(errors.of("url")).isEqualTo("is required");
        assertThat(errors.of("name")).isEqualTo("is too long");
    }

    @Test
    void shouldPlaceProblemOnFieldWhenItsTypeIsMapped() {
        // Given
        ProblemException e = new ProblemException(
                Problem.of(422, "host-not-allowed", "Host not allowed", "Git host 'x' is not on the allow-list"));

        // When
        FormErrors errors = FormErrors.of(e, FIELDS, Map.of("host-not-allowed", "url"));

        // Then
        assertThat(errors.has("url")).isTrue();
        assertThat(errors.general()).isEmpty();
    }

    @Test
    void shouldPlaceProblemOnFieldItsDetailStartsWith() {
        // When
        FormErrors errors = FormErrors.of(ProblemException.badRequest("name must be 1-100 letters"), FIELDS, Map.of());

        // Then
        assertThat(errors.of("name")).isEqualTo("name must be 1-100 letters");
        assertThat(errors.any()).isTrue();
    }

    @Test
    void shouldShowProblemAboveTheFormWhenNoFieldMatches() {
        // When
        FormErrors errors = FormErrors.of(
                ProblemException.conflict("Repository 'x' already exists in workspace 'demo'."), FIELDS, Map.of());

        // Then
        assertThat(errors.general()).contains("already exists");
        assertThat(errors.fields()).isEmpty();
    }
}
