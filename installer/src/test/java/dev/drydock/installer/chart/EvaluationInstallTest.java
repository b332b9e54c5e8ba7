package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The evaluation install (values: evaluation): a bundled PostgreSQL and Keycloak, off by default. */
class EvaluationInstallTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String SERVER_NAME = "drydock-server";

    @ParameterizedTest
    @ValueSource(strings = {"minimal", "external", "openshift"})
    void shouldRenderNoBundledPostgresOrKeycloakWhenEvaluationIsOff(String set) {
        // Given
        String valueSet = set;

        // When
        RenderedChart chart = Charts.render(valueSet);

        // Then
        assertThat(chart.ofKind("StatefulSet")).isEmpty();
        assertThat(chart.objects())
                .extracting(RenderedChart::name)
                .noneMatch(n -> n.contains("postgres") || n.contains("keycloak") || n.contains("evaluation"));
        assertThat(chart.images()).noneMatch(i -> i.contains("drydock/postgres") || i.contains("drydock/keycloak"));
        assertThat(Charts.serverEnvironment(chart).get("DRYDOCK_DB_URL")).doesNotContain("dd-drydock-postgres");
    }

    @Test
    void shouldWireServerToBundledPostgresAndKeycloakWhenEvaluationIsOn() {
        // Given
        String set = "evaluation";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        Map<String, String> env = Charts.serverEnvironment(chart);
        assertThat(env)
                .containsEntry("DRYDOCK_DB_URL", "jdbc:postgresql://dd-drydock-postgres:5432/drydock")
                .containsEntry("DRYDOCK_OIDC_URL", "http://dd-drydock-keycloak:8180/realms/drydock");
        assertThat(Charts.renderYaml(set)).contains("name: dd-drydock-server-evaluation");
        assertThat(chart.ofKind("Secret"))
                .extracting(RenderedChart::name)
                .containsExactly("dd-drydock-server-evaluation");
        Map<String, Object> secretData =
                Objects.requireNonNull(RenderedChart.map(chart.ofKind("Secret").getFirst(), "data"));
        assertThat(secretData)
                .containsKeys(
                        "username",
                        "password",
                        "portal-client-secret",
                        "server-client-secret",
                        "automation-client-secret",
                        "admin-password",
                        "keycloak-db-password",
                        "postgres-password");
        Map<String, Object> statefulSet = chart.ofKind("StatefulSet").getFirst();
        assertThat(RenderedChart.name(statefulSet)).isEqualTo("dd-drydock-postgres");
        assertThat(RenderedChart.maps(RenderedChart.map(statefulSet, "spec").get("volumeClaimTemplates")))
                .hasSize(1);
        Map<String, Object> keycloak = container(chart, "Deployment/dd-drydock-keycloak");
        assertThat(keycloak.get("args")).isEqualTo(List.of("start", "--optimized", "--import-realm"));
        assertThat(keycloak).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
        assertThat(RenderedChart.maps(keycloak.get("env")))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("name", "KC_DB_URL")
                        .containsEntry("value", "jdbc:postgresql://dd-drydock-postgres:5432/keycloak"))
                .anySatisfy(e ->
                        assertThat(e).containsEntry("name", "KC_HTTP_ENABLED").containsEntry("value", "true"));
        assertThat(chart.ofKind("Service"))
                .extracting(RenderedChart::name)
                .contains("dd-drydock-postgres", "dd-drydock-keycloak");
    }

    @Test
    void shouldApplyTheRealmToTheBundledKeycloakWhenEvaluationIsOn() {
        // Given
        String set = "evaluation";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        Map<String, Object> job = container(chart, "Job/dd-drydock-server-realm");
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) job.get("args");
        assertThat(args)
                .contains(
                        "--url=http://dd-drydock-keycloak:8180",
                        "--portal-url=http://localhost:8080",
                        "--admin-user=admin");
        assertThat(RenderedChart.maps(job.get("env")))
                .anySatisfy(e -> assertThat(RenderedChart.map(RenderedChart.map(e, "valueFrom"), "secretKeyRef"))
                        .containsEntry("name", "dd-drydock-server-evaluation")
                        .containsEntry("key", "admin-password"));
    }

    @Test
    void shouldLetOnlyTheServerAndTheRealmJobReachKeycloakWhenEvaluationIsOn() {
        // Given
        RenderedChart chart = Charts.render("evaluation");

        // When
        NetworkPolicy keycloak = policy(chart, "dd-drydock-keycloak");
        NetworkPolicy postgres = policy(chart, "dd-drydock-postgres");

        // Then
        assertThat(keycloak.getSpec().getIngress()).hasSize(1);
        assertThat(keycloak.getSpec().getIngress().getFirst().getFrom())
                .extracting(EvaluationInstallTest::appName)
                .containsExactlyInAnyOrder(SERVER_NAME, "drydock-realm");
        assertThat(postgres.getSpec().getIngress()).hasSize(1);
        assertThat(postgres.getSpec().getIngress().getFirst().getFrom())
                .extracting(EvaluationInstallTest::appName)
                .containsExactlyInAnyOrder(SERVER_NAME, "drydock-keycloak");
        assertThat(postgres.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(postgres.getSpec().getEgress()).isNullOrEmpty();
        assertThat(policy(chart, "dd-drydock-server").getSpec().getEgress())
                .flatExtracting(r -> r.getTo())
                .extracting(EvaluationInstallTest::appName)
                .contains("drydock-postgres", "drydock-keycloak");
    }

    @Test
    void shouldRefuseToRenderWhenBundledKeycloakImageIsNotPinned() throws IOException {
        // Given
        Map<String, String> unpinned = Map.of("evaluation.keycloak.image.digest", "");

        // When
        Helm.Result result = Charts.template("evaluation", unpinned);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("evaluation.keycloak.image.digest must be set");
    }

    @Test
    void shouldRejectValuesWhenEvaluationKeyIsMisspelled() throws IOException {
        // Given
        Map<String, String> typo = Map.of("evaluation.postgres.storage", "1Gi");

        // When
        Helm.Result result = Charts.template("evaluation", typo);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("additional properties 'storage' not allowed");
    }

    @Test
    void shouldUseTheExistingSecretInsteadOfGeneratingCredentialsWhenOneIsNamed() throws IOException {
        // Given
        Map<String, String> existing = Map.of("evaluation.existingSecret", "eval-credentials");

        // When
        Helm.Result result = Charts.template("evaluation", existing);

        // Then
        assertThat(result.ok()).as(result.stderr()).isTrue();
        RenderedChart chart = RenderedChart.parse(result.stdout());
        assertThat(chart.ofKind("Secret")).isEmpty();
        assertThat(result.stdout()).contains("name: eval-credentials").doesNotContain("dd-drydock-server-evaluation");
    }

    private static Map<String, Object> container(RenderedChart chart, String source) {
        RenderedChart.PodSpecOf pod = chart.podSpecs().stream()
                .filter(p -> p.source().equals(source))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + source));
        return RenderedChart.maps(pod.spec().get("containers")).getFirst();
    }

    private static NetworkPolicy policy(RenderedChart chart, String name) {
        return chart.ofKind("NetworkPolicy").stream()
                .filter(o -> RenderedChart.name(o).equals(name))
                .findFirst()
                .map(o -> JSON.convertValue(o, NetworkPolicy.class))
                .orElseThrow(() -> new AssertionError("no NetworkPolicy " + name));
    }

    private static String appName(NetworkPolicyPeer peer) {
        if (peer.getPodSelector() == null || peer.getPodSelector().getMatchLabels() == null) {
            return "(not a pod selector)";
        }
        return String.valueOf(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
    }
}
