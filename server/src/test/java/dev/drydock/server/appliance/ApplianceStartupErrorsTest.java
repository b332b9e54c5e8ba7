package dev.drydock.server.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each start-up failure of {@code ./drydock up} names the component and the fix. */
class ApplianceStartupErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void shouldNamePortAndFixWhenPortIsInUse() throws IOException {
        // Given
        try (ServerSocket busy = new ServerSocket(0, 0, InetAddress.getByName("0.0.0.0"))) {
            int port = busy.getLocalPort();

            // When / Then
            assertThatThrownBy(() -> Appliance.requireFreePort("http", port, "choose another with --port N"))
                    .isInstanceOf(ApplianceException.class)
                    .hasMessageContaining("port " + port + " is already in use")
                    .hasMessageContaining("--port N")
                    .extracting(e -> ((ApplianceException) e).component())
                    .isEqualTo("http");
        }
    }

    @Test
    void shouldExplainWhenDatabaseIsUnreachable() throws IOException {
        // Given a port nobody listens on
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/drydock";

        // When / Then
        assertThatThrownBy(() -> Appliance.checkDatabase(url, "drydock", "secret"))
                .isInstanceOf(ApplianceException.class)
                .hasMessageContaining("database unreachable at " + url)
                .hasMessageContaining("DRYDOCK_DB_URL")
                .hasMessageNotContaining("secret");
    }

    @Test
    void shouldShowKeycloakLogWhenKeycloakExitsDuringStart() throws IOException {
        // Given a distribution whose kc.sh fails like a real one would on a busy port
        Path zip = tmp.resolve("keycloak-fake.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("keycloak-fake/bin/kc.sh"));
            out.write(
                    "#!/bin/sh\necho 'ERROR: Port(s) already bound: 8180'\nexit 3\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        var setup = new KeycloakProcess.Setup(
                zip,
                tmp.resolve("kc"),
                1,
                2,
                "",
                "u",
                "p",
                "",
                "admin-pass",
                Duration.ofSeconds(30),
                tmp.resolve("kc.log"));

        // When / Then
        assertThatThrownBy(() -> KeycloakProcess.start(setup, line -> {}))
                .isInstanceOf(ApplianceException.class)
                .hasMessageContaining("Keycloak exited with code 3")
                .hasMessageContaining("Port(s) already bound")
                .hasMessageContaining("DRYDOCK_OIDC_URL");
    }

    @Test
    void shouldSayHowToGetKeycloakWhenDistributionIsMissing() {
        // Given
        Path missing = tmp.resolve("nope.zip");

        // When / Then
        assertThatThrownBy(() -> KeycloakProcess.install(missing, tmp.resolve("kc")))
                .isInstanceOf(ApplianceException.class)
                .hasMessageContaining("is missing")
                .hasMessageContaining("./drydock up");
    }

    @Test
    void shouldRefuseZipEntriesThatEscapeTheInstallFolder() throws IOException {
        // Given
        Path zip = tmp.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("keycloak/../../escaped.txt"));
            try (OutputStream ignored = OutputStream.nullOutputStream()) {
                out.write(1);
            }
            out.closeEntry();
        }

        // When / Then
        assertThatThrownBy(() -> KeycloakProcess.install(zip, tmp.resolve("kc")))
                .isInstanceOf(ApplianceException.class)
                .hasMessageContaining("outside the install folder");
        assertThat(tmp.resolve("../escaped.txt").normalize()).doesNotExist();
    }

    @Test
    void shouldKeepSecretsPrivateAndStable() throws IOException {
        // Given
        Path file = tmp.resolve("home/secrets.properties");
        String first = Secrets.load(file).getOrCreate("portal.client-secret");

        // When
        String again = Secrets.load(file).getOrCreate("portal.client-secret");

        // Then
        assertThat(again).isEqualTo(first).hasSize(43);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
