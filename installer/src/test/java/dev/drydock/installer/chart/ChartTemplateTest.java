package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The chart as Helm sees it: lint, the values schema, required values, mode switches. */
class ChartTemplateTest {
    static final List<String> VALUE_SETS = Charts.VALUE_SETS;

    @ParameterizedTest
    @FieldSource("VALUE_SETS")
    void shouldPassStrictLintWhenValueSetIsUsed(String set) throws IOException {
        // Given
        Helm helm = Charts.helm();

        // When
        Helm.Result lint = helm.lint(Charts.CHART, List.of(Charts.values(set)));

        // Then
        assertThat(lint.ok()).as(lint.stdout() + lint.stderr()).isTrue();
        assertThat(lint.stdout())
                .contains("0 chart(s) failed")
                .doesNotContain("[WARNING]")
                .doesNotContain("[ERROR]");
    }

    @Test
    void shouldRejectValuesWhenKeyIsMisspelled() throws IOException {
        // Given
        Map<String, String> typo = Map.of("sandbox.runtimeClass", "gvisor");

        // When
        Helm.Result result = Charts.template("minimal", typo);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("/sandbox").contains("additional properties 'runtimeClass' not allowed");
    }

    @Test
    void shouldRejectValuesWhenTopLevelKeyIsUnknown() throws IOException {
        // Given
        Map<String, String> typo = Map.of("replicas", "3");

        // When
        Helm.Result result = Charts.template("minimal", typo);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("additional properties 'replicas' not allowed");
    }

    @Test
    void shouldRefuseToRenderWhenImageDigestIsMissing() throws IOException {
        // Given
        Map<String, String> unpinned = Map.of("sandbox.image.digest", "");

        // When
        Helm.Result result = Charts.template("minimal", unpinned);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("sandbox.image.digest must be set");
    }

    @Test
    void shouldRefuseToRenderWhenDigestIsATag() throws IOException {
        // Given
        Map<String, String> tagged = Map.of("image.digest", "latest");

        // When
        Helm.Result result = Charts.template("minimal", tagged);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("/image/digest");
    }

    @Test
    void shouldRefuseToRenderWhenDatabaseUrlIsMissing() throws IOException {
        // Given
        Map<String, String> noDatabase = Map.of("database.url", "");

        // When
        Helm.Result result = Charts.template("minimal", noDatabase);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("database.url must be set");
    }

    @Test
    void shouldLeaveUserIdsToOpenShiftWhenOpenShiftModeIsOn() {
        // Given
        String set = "openshift";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        for (RenderedChart.PodSpecOf pod : chart.podSpecs()) {
            Map<String, Object> sc = RenderedChart.map(pod.spec(), "securityContext");
            assertThat(sc)
                    .as(pod.source())
                    .doesNotContainKeys("runAsUser", "runAsGroup", "fsGroup")
                    .containsEntry("runAsNonRoot", true);
        }
        assertThat(chart.ofKind("Route")).hasSize(1);
        assertThat(chart.ofKind("Ingress")).isEmpty();
        assertThat(Charts.serverEnvironment(chart)).containsEntry("DRYDOCK_SANDBOX_KUBERNETES_DNS_PORT", "5353");
        assertThat(RenderedChart.map(RenderedChart.map(chart.ofKind("Namespace").getFirst(), "metadata"), "labels"))
                .containsEntry("security.openshift.io/scc.podSecurityLabelSync", "false")
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    void shouldFixUserIdsAndUseDnsPort53WhenOpenShiftModeIsOff() {
        // Given
        String set = "minimal";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        for (RenderedChart.PodSpecOf pod : chart.podSpecs()) {
            assertThat(RenderedChart.map(pod.spec(), "securityContext"))
                    .as(pod.source())
                    .containsEntry("runAsUser", 10001)
                    .containsEntry("runAsGroup", 10001);
        }
        assertThat(chart.ofKind("Route")).isEmpty();
        assertThat(Charts.serverEnvironment(chart)).containsEntry("DRYDOCK_SANDBOX_KUBERNETES_DNS_PORT", "53");
    }

    @Test
    void shouldLabelSandboxNamespaceRestrictedWhenChartCreatesIt() {
        // Given
        String set = "minimal";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        Map<String, Object> ns = chart.ofKind("Namespace").getFirst();
        assertThat(RenderedChart.map(RenderedChart.map(ns, "metadata"), "labels"))
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }

    @Test
    void shouldUseExistingSecretsInsteadOfRenderingThemWhenTheyAreNamed() {
        // Given
        String set = "external";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        assertThat(chart.ofKind("Secret")).isEmpty();
        String deployment = Charts.renderYaml(set);
        assertThat(deployment)
                .contains("name: drydock-db")
                .contains("name: drydock-oidc")
                .contains("name: drydock-git")
                .contains("secretName: drydock-models")
                .contains("secretName: corp-ca");
    }

    @Test
    void shouldRenderPdbAndNoHpaWhenDefaultsAreUsed() {
        // Given
        String set = "minimal";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        assertThat(chart.ofKind("PodDisruptionBudget")).hasSize(1);
        assertThat(chart.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(chart.ofKind("Ingress")).isEmpty();
    }

    @Test
    void shouldLimitServerEgressToDnsSandboxesAndListedCidrsWhenEverythingIsExternal() {
        // Given
        String set = "external";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        Map<String, Object> policy = chart.ofKind("NetworkPolicy").stream()
                .filter(p -> RenderedChart.name(p).equals("dd-drydock-server"))
                .findFirst()
                .orElseThrow();
        List<Map<String, Object>> egress =
                RenderedChart.maps(RenderedChart.map(policy, "spec").get("egress"));
        List<String> cidrs = new java.util.ArrayList<>();
        int peersWithoutCidr = 0;
        for (Map<String, Object> rule : egress) {
            for (Map<String, Object> to : RenderedChart.maps(rule.get("to"))) {
                Map<String, Object> block = RenderedChart.map(to, "ipBlock");
                if (block != null)
                    cidrs.add(block.get("cidr") + ":"
                            + RenderedChart.maps(rule.get("ports")).stream()
                                    .map(p -> String.valueOf(p.get("port")))
                                    .toList());
                else peersWithoutCidr++;
            }
        }
        assertThat(cidrs)
                .containsExactlyInAnyOrder(
                        "10.0.0.1/32:[6443]",
                        "10.30.0.0/24:[5432]",
                        "10.30.1.10/32:[443]",
                        "10.40.0.0/16:[8000]",
                        "10.30.2.20/32:[443, 22]");
        assertThat(peersWithoutCidr).as("cluster DNS and the sandbox pods").isEqualTo(2);
        assertThat(RenderedChart.map(policy, "spec").get("policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
    }

    @Test
    void shouldRefuseToRenderWhenServerEgressCannotReachTheDatabase(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        // Given
        java.nio.file.Path noDatabase = java.nio.file.Files.writeString(
                dir.resolve("no-database.yaml"), "networkPolicy:\n  serverEgress:\n    database: []\n");

        // When
        Helm.Result result = Charts.helm()
                .template(
                        Charts.CHART,
                        Charts.RELEASE,
                        Charts.NAMESPACE,
                        List.of(Charts.values("minimal"), noDatabase),
                        Map.of());

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("networkPolicy.serverEgress.database must list PostgreSQL's address");
    }

    @Test
    void shouldAddExtraEgressRulesWhenDatabaseRunsInTheCluster(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        // Given
        java.nio.file.Path inCluster = java.nio.file.Files.writeString(dir.resolve("in-cluster.yaml"), """
                networkPolicy:
                  serverEgress:
                    database: []
                    extraRules:
                      - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: databases}}}]
                        ports: [{protocol: TCP, port: 5432}]
                """);

        // When
        Helm.Result result = Charts.helm()
                .template(
                        Charts.CHART,
                        Charts.RELEASE,
                        Charts.NAMESPACE,
                        List.of(Charts.values("minimal"), inCluster),
                        Map.of());

        // Then
        assertThat(result.ok()).as(result.stderr()).isTrue();
        Map<String, Object> policy = RenderedChart.parse(result.stdout()).ofKind("NetworkPolicy").stream()
                .filter(p -> RenderedChart.name(p).equals("dd-drydock-server"))
                .findFirst()
                .orElseThrow();
        assertThat(RenderedChart.maps(RenderedChart.map(policy, "spec").get("egress"))
                        .getLast()
                        .toString())
                .contains("kubernetes.io/metadata.name=databases")
                .contains("port=5432");
    }
}
