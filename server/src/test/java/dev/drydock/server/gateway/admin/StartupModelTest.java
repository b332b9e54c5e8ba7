package dev.drydock.server.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.gateway.ScriptedModelServer;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code ./drydock up --model URL} connects a model with no form and no token. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class StartupModelTest {
    @Inject
    StartupModel startup;

    @Inject
    ModelEndpoints endpoints;

    @Test
    void shouldStoreTheListedModelOnceWhenUpIsGivenOnlyAUrl() throws Exception {
        // Given a model server that lists one model and answers the probe
        try (ScriptedModelServer model = new ScriptedModelServer()) {
            model.otherwise(ScriptedModelServer.whole("ok"));

            // When up --model URL runs twice (a second start of the appliance)
            Optional<String> first = startup.connect(model.baseUrl());
            Optional<String> second = startup.connect(model.baseUrl());

            // Then one endpoint holds the listed model, and the second start reuses it
            assertThat(first).isPresent();
            assertThat(second).isEqualTo(first);
            assertThat(endpoints.list())
                    .filteredOn(e -> e.baseUrl().equals(model.baseUrl()))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.name()).isEqualTo(first.get());
                        assertThat(e.modelId()).isEqualTo("scripted-model");
                        assertThat(e.source()).isEqualTo("api");
                    });
        }
    }

    @Test
    void shouldNameTheEndpointAfterTheHostWhenConnectingAtStart() {
        // When / Then
        assertThat(StartupModel.nameFor("http://vllm.corp.example:8000/v1")).isEqualTo("vllm-corp-example");
        assertThat(StartupModel.nameFor("not a url")).isEqualTo("model");
    }
}
