package dev.drydock.installer.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The rendered chart read by fabric8's typed model and created on its mock API server. */
@EnableKubernetesMockClient(crud = true)
class ChartOnMockApiServerTest {
    static final List<String> VALUE_SETS = Charts.VALUE_SETS;
    static KubernetesClient client;

    @ParameterizedTest
    @FieldSource("VALUE_SETS")
    void shouldCreateEveryObjectWhenRenderedChartIsApplied(String set) {
        // Given
        List<HasMetadata> objects = client.load(
                        new ByteArrayInputStream(Charts.renderYaml(set).getBytes(StandardCharsets.UTF_8)))
                .items();

        // When
        List<String> created = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (HasMetadata o : objects) {
            UnknownFields.of(o)
                    .forEach(
                            f -> unknown.add(o.getKind() + "/" + o.getMetadata().getName() + f));
            String ns = o.getMetadata().getNamespace() == null
                    ? null
                    : o.getMetadata().getNamespace() + "-" + set;
            HasMetadata result;
            if (o instanceof GenericKubernetesResource generic) {
                String[] gv = generic.getApiVersion().split("/");
                ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                        .withGroup(gv[0])
                        .withVersion(gv[1])
                        .withKind(generic.getKind())
                        .withPlural(generic.getKind().toLowerCase(Locale.ROOT) + "s")
                        .withNamespaced(true)
                        .build();
                result = client.genericKubernetesResources(context)
                        .inNamespace(ns)
                        .resource(generic)
                        .create();
            } else if (ns == null) {
                o.getMetadata().setName(o.getMetadata().getName() + "-" + set);
                result = client.resource(o).create();
            } else {
                result = client.resource(o).inNamespace(ns).create();
            }
            created.add(result.getKind() + "/" + result.getMetadata().getName());
        }

        // Then
        assertThat(unknown).as("fields fabric8 does not know").isEmpty();
        assertThat(created)
                .hasSize(objects.size())
                .contains(
                        "Deployment/dd-drydock-server",
                        "Service/dd-drydock-server",
                        "Role/dd-drydock-server-sandboxes",
                        "RoleBinding/dd-drydock-server-sandboxes",
                        "NetworkPolicy/drydock-sandbox-default-deny",
                        "Pod/dd-drydock-server-test");
    }
}
