package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.RenderedChart;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The realm Job: `drydock realm apply` against the external Keycloak, as a hook after install and upgrade. */
class RealmJobTest {
    @Test
    @SuppressWarnings("unchecked")
    void shouldRunRealmApplyFromServerImageAfterInstallAndUpgradeWhenEnabled() {
        // Given
        String set = "external";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        List<Map<String, Object>> jobs = chart.ofKind("Job");
        assertThat(jobs).hasSize(1);
        Map<String, Object> job = jobs.getFirst();
        Map<String, Object> annotations = RenderedChart.map(RenderedChart.map(job, "metadata"), "annotations");
        assertThat(annotations).containsEntry("helm.sh/hook", "post-install,post-upgrade");
        Map<String, Object> pod =
                RenderedChart.map(RenderedChart.map(RenderedChart.map(job, "spec"), "template"), "spec");
        Map<String, Object> container =
                RenderedChart.maps(pod.get("containers")).getFirst();
        Map<String, Object> server = RenderedChart.maps(chart.podSpecs().stream()
                        .filter(p -> p.source().equals("Deployment/dd-drydock-server"))
                        .findFirst()
                        .orElseThrow()
                        .spec()
                        .get("containers"))
                .getFirst();
        assertThat(container.get("image")).isEqualTo(server.get("image"));
        assertThat((List<String>) container.get("command")).endsWith("dev.drydock.cli.DrydockCli");
        assertThat((List<String>) container.get("args"))
                .containsExactly(
                        "realm",
                        "apply",
                        "--url=https://keycloak.corp.example",
                        "--realm=drydock",
                        "--portal-url=https://drydock.corp.example",
                        "--admin-user=admin",
                        "--admin-password-env=KEYCLOAK_ADMIN_PASSWORD",
                        "--server-secret-env=DRYDOCK_SERVER_CLIENT_SECRET");
        List<Map<String, Object>> env = RenderedChart.maps(container.get("env"));
        assertThat(env).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("KEYCLOAK_ADMIN_PASSWORD");
            assertThat(RenderedChart.map(RenderedChart.map(e, "valueFrom"), "secretKeyRef"))
                    .containsEntry("name", "keycloak-admin")
                    .containsEntry("key", "admin-password");
        });
        assertThat(env).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("DRYDOCK_SERVER_CLIENT_SECRET");
            assertThat(RenderedChart.map(RenderedChart.map(e, "valueFrom"), "secretKeyRef"))
                    .containsEntry("name", "drydock-oidc")
                    .containsEntry("key", "server-client-secret");
        });
    }

    @Test
    void shouldRenderNoJobWhenRealmJobIsOff() {
        // Given
        String set = "minimal";

        // When
        RenderedChart chart = Charts.render(set);

        // Then
        assertThat(chart.ofKind("Job")).isEmpty();
    }

    @Test
    void shouldRefuseToRenderWhenRealmJobHasNoAdminSecret() throws IOException {
        // Given
        Map<String, String> values = Map.of("realmJob.adminSecret", "");

        // When
        Helm.Result result = Charts.template("external", values);

        // Then
        assertThat(result.ok()).isFalse();
        assertThat(result.stderr()).contains("realmJob.adminSecret is required");
    }
}
