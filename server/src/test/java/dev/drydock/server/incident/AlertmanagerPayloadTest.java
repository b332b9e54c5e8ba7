package dev.drydock.server.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.server.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Alertmanager's version 4 webhook body, from the fixtures in its documented format. */
class AlertmanagerPayloadTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                AlertmanagerPayloadTest.class.getResourceAsStream("/alertmanager/" + name + ".json"))) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    @Test
    void shouldReadGroupAlertsLabelsAndAnnotationsWhenPayloadIsVersion4() throws Exception {
        // Given
        ObjectNode body = fixture("firing");

        // When
        AlertmanagerPayload p = AlertmanagerPayload.parse(body);

        // Then
        assertThat(p.firing()).isTrue();
        assertThat(p.alertName()).isEqualTo("HighErrorRate");
        assertThat(p.groupKey()).startsWith("{}/{severity=\"page\"}");
        assertThat(p.firingAlerts()).hasSize(2);
        assertThat(p.alerts().getFirst().labels()).containsEntry("instance", "calc-1:8080");
        assertThat(p.alerts().getFirst().annotations())
                .containsEntry("runbook_url", "https://wiki.elsewhere.example/runbooks/high-error-rate");
        assertThat(p.alerts().getFirst().fingerprint()).isEqualTo("5a0c2b7e9f1d3c44");
    }

    @Test
    void shouldGiveSameDigestWhenAlertsComeInAnotherOrder() throws Exception {
        // Given
        ObjectNode body = fixture("firing");
        ObjectNode swapped = body.deepCopy();
        var alerts = swapped.withArray("alerts");
        var first = alerts.remove(0);
        alerts.add(first);

        // When
        String digest = AlertmanagerPayload.parse(swapped).firingDigest();

        // Then
        assertThat(digest).isEqualTo(AlertmanagerPayload.parse(body).firingDigest());
    }

    @Test
    void shouldNameTheFieldWhenAnAlertHasNoStatus() throws Exception {
        // Given
        ObjectNode body = fixture("firing");
        ((ObjectNode) body.withArray("alerts").get(1)).remove("status");

        // When / Then
        assertThatThrownBy(() -> AlertmanagerPayload.parse(body))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400))
                .hasMessageContaining("alerts[1].status");
    }

    @Test
    void shouldRefuseWhenLabelsAreNotStrings() throws Exception {
        // Given
        ObjectNode body = fixture("firing");
        ((ObjectNode) body.withArray("alerts").get(0)).putObject("labels").putObject("nested");

        // When / Then
        assertThatThrownBy(() -> AlertmanagerPayload.parse(body)).isInstanceOf(ProblemException.class);
    }
}
