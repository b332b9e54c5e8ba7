package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.gateway.dlp.DlpScanner;
import org.junit.jupiter.api.Test;

class GatewayDlpScannerTest {
    private final DlpScanner scanner = new DlpScanner();

    @Test
    void shouldRedactEachKindOfSecretAndCountIt() {
        // Given
        String text = String.join(
                "\n",
                "-----BEGIN OPENSSH PRIVATE KEY-----",
                "b3BlbnNzaC1rZXktdjEAAAAA",
                "-----END OPENSSH PRIVATE KEY-----",
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYAB",
                "\"private_key_id\": \"0123456789abcdef0123456789abcdef01234567\"",
                "key=AIzaSyA1234567890abcdefghijklmnopqrstuv",
                "slack: xoxb-123456789012-abcdefABCDEF",
                "db.password: s3cr3t-Passw0rd",
                "auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U");

        // When
        DlpScanner.Result r = scanner.scan(text);

        // Then
        assertThat(r.findings())
                .containsKeys(
                        "private-key",
                        "aws-access-key",
                        "aws-secret-key",
                        "gcp-service-account-key",
                        "gcp-api-key",
                        "slack-token",
                        "password-in-config",
                        "jwt");
        assertThat(r.redacted())
                .doesNotContain("b3BlbnNzaC1rZXktdjEAAAAA")
                .doesNotContain("AKIAIOSFODNN7EXAMPLE")
                .doesNotContain("wJalrXUtnFEMI")
                .doesNotContain("s3cr3t-Passw0rd")
                .contains("db.password: [REDACTED:password-in-config]");
    }

    @Test
    void shouldLeaveOrdinaryCodeAndPlaceholdersAlone() {
        // Given
        String text = "String password = config.get(\"x\");\npassword=${DB_PASSWORD}\nfor (int i = 0; i < 10; i++) {}";

        // When
        DlpScanner.Result r = scanner.scan(text);

        // Then
        assertThat(r.clean()).isTrue();
        assertThat(r.redacted()).isEqualTo(text);
    }

    @Test
    void shouldFindSecretsWhateverTheCaseOfTheirKeyName() {
        // Given: key names in upper and mixed case (the scan skips a rule only when none of its key words is present)
        String text =
                "DB_PASSWORD: Sup3rS3cretValue\nClient-Secret = 9f8e7d6c5b4a\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYAB";

        // When
        DlpScanner.Result r = scanner.scan(text);

        // Then
        assertThat(r.findings()).containsEntry("password-in-config", 2).containsEntry("aws-secret-key", 1);
        assertThat(r.redacted())
                .doesNotContain("Sup3rS3cretValue")
                .doesNotContain("9f8e7d6c5b4a")
                .doesNotContain("wJalrXUtnFEMI");
    }
}
