package dev.drydock.server.droid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DroidProfilesTest {
    static String resource(String name) throws IOException {
        try (InputStream in = DroidProfilesTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldLoadTheBuiltInProfiles() throws IOException {
        for (String name : DroidProfiles.BUILT_IN) {
            // When
            DroidProfile p = DroidProfiles.parse(name, resource("droids/" + name + ".yaml"));

            // Then
            assertThat(p.tools()).contains("finish", "read_file");
            assertThat(resource(p.promptTemplate())).isNotBlank();
            assertThat(p.finishSchema()).startsWith("{\"type\":\"object\"");
        }
        assertThat(DroidProfiles.parse("code", resource("droids/code.yaml")).completion())
                .isEqualTo(DroidProfile.Completion.TEST_GATED);
        assertThat(DroidProfiles.parse("reliability", resource("droids/reliability.yaml"))
                        .finishSchema())
                .contains("suspected_cause");
    }

    @Test
    void shouldRenderPromptTemplates() throws IOException {
        // When
        String prompt = PromptTemplates.render(
                resource("prompts/code.md"),
                Map.of("repo", "calc", "workspace", "demo", "testCommand", "make test", "task", "x", "droid", "code"));

        // Then
        assertThat(prompt).contains("repository `calc`").contains("(`make test`)");
    }

    @Test
    void shouldRefuseProfilesWithUnknownTools() {
        assertThatThrownBy(() -> DroidProfiles.parse("x", "tools: [read_file, teleport]\n"))
                .hasMessageContaining("unknown tool 'teleport'");
    }
}
