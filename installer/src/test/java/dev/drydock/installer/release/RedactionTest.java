package dev.drydock.installer.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** What {@link Redaction} removes, and what it keeps so a support bundle stays useful. */
class RedactionTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void shouldRemoveSecretValuesButKeepSecretNamesWhenValuesAreRedacted() throws Exception {
        // Given
        JsonNode values = YAML.readTree("""
                database: {url: "jdbc:postgresql://db:5432/dd", password: hunter2, existingSecret: drydock-db, passwordKey: password}
                oidc: {serverClientSecret: s3cret, portalClientSecretKey: portal-client-secret}
                realmJob: {adminSecret: keycloak-admin}
                models: {credentials: {vllm-a: sk-1}}
                ingress: {tlsSecretName: drydock-tls}
                """);

        // When
        String redacted = YAML.writeValueAsString(Redaction.values(values));

        // Then
        assertThat(redacted)
                .doesNotContain("hunter2")
                .doesNotContain("s3cret")
                .doesNotContain("sk-1")
                .contains("jdbc:postgresql://db:5432/dd")
                .contains("drydock-db")
                .contains("passwordKey: \"password\"")
                .contains("keycloak-admin")
                .contains("drydock-tls")
                .contains("portal-client-secret");
    }

    @Test
    void shouldRemoveTokensPasswordsAndPrivateKeysWhenTextIsRedacted() {
        // Given
        String log = """
                Authorization: Bearer abc.def.ghi
                connecting to https://user:pa55@git.corp.example/repo.git with password=pa55 and "apiKey": "k-123"
                -----BEGIN PRIVATE KEY-----
                MIIEvQIBADANBg
                -----END PRIVATE KEY-----
                readiness probe failed: 503
                """;

        // When
        String redacted = Redaction.text(log);

        // Then
        assertThat(redacted)
                .doesNotContain("abc.def.ghi")
                .doesNotContain("pa55")
                .doesNotContain("k-123")
                .doesNotContain("MIIEvQIBADANBg")
                .contains("readiness probe failed: 503")
                .contains("git.corp.example/repo.git");
    }

    @Test
    void shouldRemoveEveryDataValueWhenObjectIsASecret() throws Exception {
        // Given
        JsonNode secret = YAML.readTree(
                "{kind: Secret, metadata: {name: db}, data: {username: ZHJ5ZG9jaw==, password: aHVudGVyMg==}}");

        // When
        JsonNode redacted = Redaction.object(secret);

        // Then
        assertThat(redacted.path("data").path("username").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(redacted.path("data").path("password").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(redacted.path("metadata").path("name").asText()).isEqualTo("db");
    }
}
