package dev.drydock.server.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keycloak reaches its database as its own role, with a password nobody else on the machine can read from a command line. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class KeycloakDatabaseTest {

    @Test
    void shouldKeepTheDatabasePasswordOffKeycloaksCommandLinesWhileItUsesItsOwnRole() throws Exception {
        // Given
        RealServices.Started services = RealServices.get();
        String password = services.db().credentials().keycloak();

        // When
        List<String> commandLines = new ArrayList<>();
        ProcessHandle.of(services.keycloak().pid()).ifPresent(kc -> {
            commandLines.add(kc.info().commandLine().orElse(""));
            kc.descendants()
                    .forEach(p -> commandLines.add(p.info().commandLine().orElse("")));
        });
        List<String> tableOwners = new ArrayList<>();
        try (Connection c = services.db().connect("keycloak", EmbeddedDatabase.KEYCLOAK, password);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("select distinct tableowner from pg_tables where schemaname = 'public'")) {
            while (rs.next()) {
                tableOwners.add(rs.getString(1));
            }
        }

        // Then
        assertThat(commandLines)
                .isNotEmpty()
                .anySatisfy(line -> assertThat(line).contains("keycloak"));
        assertThat(commandLines).noneSatisfy(line -> assertThat(line).contains(password));
        assertThat(commandLines).noneSatisfy(line -> assertThat(line).contains("--db-password"));
        assertThat(tableOwners)
                .as("Keycloak created its tables as its own role")
                .containsOnly(EmbeddedDatabase.KEYCLOAK);
    }
}
