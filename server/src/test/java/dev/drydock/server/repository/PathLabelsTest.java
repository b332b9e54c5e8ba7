package dev.drydock.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.PathPattern;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathLabelsTest {
    static PathLabels.Label label(String path, String classification) {
        return new PathLabels.Label(path, classification);
    }

    @Test
    void shouldGivePathTheHighestCoveringLabelAndNeverLessThanRepository() {
        PathLabels labels = PathLabels.validated(
                Classification.INTERNAL,
                List.of(
                        label("/deploy/", "confidential"),
                        label("deploy/prod", "secret"),
                        label("**/*.pem", "secret")));
        assertThat(labels.labels())
                .extracting(PathLabels.Label::path)
                .containsExactly("deploy", "deploy/prod", "**/*.pem");
        assertThat(labels.of("src/App.java")).isEqualTo(Classification.INTERNAL);
        assertThat(labels.of("deploy/staging/app.yml")).isEqualTo(Classification.CONFIDENTIAL);
        assertThat(labels.of("deploy/prod/app.yml")).isEqualTo(Classification.SECRET);
        assertThat(labels.of("certs/ca.pem")).isEqualTo(Classification.SECRET);
        assertThat(labels.highest()).isEqualTo(Classification.SECRET);
        assertThat(labels.above(Classification.CONFIDENTIAL))
                .extracting(PathPattern::glob)
                .containsExactly("deploy/prod", "**/*.pem");
        assertThat(labels.above(Classification.SECRET)).isEmpty();
        assertThat(PathLabels.fromJson(Classification.INTERNAL, labels.toJson()).labels())
                .isEqualTo(labels.labels());
    }

    @Test
    void shouldRefuseWithClearMessageWhenLabelIsInvalid() {
        assertThatThrownBy(() -> PathLabels.validated(Classification.CONFIDENTIAL, List.of(label("docs", "internal"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("can only raise");
        assertThatThrownBy(() -> PathLabels.validated(Classification.INTERNAL, List.of(label("docs", "internal"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("can only raise");
        assertThatThrownBy(() -> PathLabels.validated(Classification.INTERNAL, List.of(label("docs", "top-secret"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("must be one of public, internal, confidential, secret");
        assertThatThrownBy(() -> PathLabels.validated(Classification.INTERNAL, List.of(label("../etc", "secret"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> PathLabels.validated(
                        Classification.INTERNAL, List.of(label("docs", "secret"), label("/docs/", "secret"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("labelled twice");
        assertThatThrownBy(() ->
                        PathLabels.validated(Classification.INTERNAL, java.util.Arrays.asList(label(null, "secret"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("needs a path");
        List<PathLabels.Label> many = new ArrayList<>();
        for (int i = 0; i <= PathLabels.MAX_LABELS; i++) {
            many.add(label("d" + i, "secret"));
        }
        assertThatThrownBy(() -> PathLabels.validated(Classification.INTERNAL, many))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("at most 100");
    }
}
