package dev.drydock.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The /v1 front door driven by a client nobody here wrote: the official {@code openai} npm package,
 * installed once into {@code target/npm-openai} from the npm registry (offline afterwards).
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class GatewayOpenAiClientTest {
    static final String OPENAI_VERSION = "6.49.0";
    private static final Path CACHE = Path.of("target", "npm-openai").toAbsolutePath();
    private static ScriptedModelServer chat;
    private static ScriptedModelServer tools;

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeAll
    static void start() {
        chat = new ScriptedModelServer();
        tools = new ScriptedModelServer()
                .otherwise(new ScriptedModelServer.ToolCallStream("read_file", "{\"path\":\"README.md\"}"));
    }

    @AfterAll
    static void stop() {
        chat.close();
        tools.close();
    }

    @Test
    void shouldServeOfficialOpenAiClientForStreamToolsEmbeddingsAndErrors() throws Exception {
        // Given
        installOpenAiPackage();
        for (var e : Map.of("npm-chat", chat, "npm-tools", tools).entrySet()) {
            given().auth()
                    .oauth2(Tokens.of("alice"))
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "baseUrl",
                            e.getValue().baseUrl(),
                            "protocol",
                            "openai-chat",
                            "modelId",
                            "scripted-model",
                            "capabilities",
                            List.of("streaming", "tools")))
                    .put("/api/admin/model-endpoints/" + e.getKey())
                    .then()
                    .statusCode(200);
        }
        String key = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("name", "openai npm test"))
                .post("/api/me/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        Path script = CACHE.resolve("openai-check.mjs");
        try (InputStream in = GatewayOpenAiClientTest.class.getResourceAsStream("/gateway/openai-check.mjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }

        // When
        ProcessBuilder pb = new ProcessBuilder("node", script.toString())
                .directory(CACHE.toFile())
                .redirectErrorStream(true);
        pb.environment()
                .putAll(Map.of(
                        "BASE_URL", v1.toString(), "API_KEY", key, "MODEL", "npm-chat", "TOOL_MODEL", "npm-tools"));
        Process node = pb.start();
        boolean finished = node.waitFor(180, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // Then
        if (!finished) {
            node.destroyForcibly();
            fail("the openai client script did not finish within 180 s; output so far:\n" + output);
        }
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output.strip().lines().reduce((a, b) -> b).orElse(""))
                .contains("\"passed\":8")
                .contains("\"failed\":[]");
    }

    private static void installOpenAiPackage() throws IOException, InterruptedException {
        Path installed = CACHE.resolve("node_modules/openai/package.json");
        if (Files.exists(installed)
                && Files.readString(installed).contains("\"version\": \"" + OPENAI_VERSION + "\"")) {
            return;
        }
        Files.createDirectories(CACHE);
        Files.writeString(CACHE.resolve("package.json"), "{\"name\":\"drydock-openai-check\",\"private\":true}\n");
        Process npm = new ProcessBuilder("npm", "install", "openai@" + OPENAI_VERSION, "--no-audit", "--no-fund")
                .directory(CACHE.toFile())
                .redirectErrorStream(true)
                .start();
        boolean done = npm.waitFor(300, TimeUnit.SECONDS);
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done || npm.exitValue() != 0 || !Files.exists(installed)) {
            npm.destroyForcibly();
            fail("could not install the openai npm package " + OPENAI_VERSION + " into " + CACHE
                    + " (is the npm registry reachable? once installed, the test runs offline):\n" + out);
        }
    }
}
