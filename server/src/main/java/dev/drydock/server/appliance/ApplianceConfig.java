package dev.drydock.server.appliance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the single-machine appliance that {@code ./drydock up} starts: where its data lives
 * and which embedded services it runs. Read before Quarkus starts; ignored when the server runs in
 * Kubernetes ({@code enabled=false}).
 */
@ConfigMapping(prefix = "drydock.appliance")
public interface ApplianceConfig {

    /** Whether this process starts the embedded appliance (set by {@code ./drydock up}). */
    @WithDefault("false")
    boolean enabled();

    /**
     * Folder holding all appliance data: PostgreSQL cluster, Keycloak, generated secrets. The
     * launcher sets it from {@code DRYDOCK_HOME}; a second start reuses it.
     */
    @WithDefault(".drydock")
    String home();

    /**
     * Start an embedded PostgreSQL. The launcher turns this off when {@code DRYDOCK_DB_URL} names an
     * external server.
     */
    @WithDefault("true")
    boolean embeddedDatabase();

    /** Port of the embedded PostgreSQL on 127.0.0.1; 0 picks a free port at each start. */
    @WithDefault("0")
    int databasePort();

    /**
     * Start an embedded Keycloak with the shipped {@code drydock} realm. Turned off when {@code
     * DRYDOCK_OIDC_URL} names an external Keycloak realm.
     */
    @WithDefault("true")
    boolean embeddedKeycloak();

    /** HTTP port of the embedded Keycloak on this machine. */
    @WithDefault("8180")
    int keycloakPort();

    /**
     * The Keycloak distribution zip ({@code org.keycloak:keycloak-quarkus-dist}); the launcher
     * fetches it through Maven on first use and passes its path.
     */
    Optional<String> keycloakDistZip();

    /** How long to wait for Keycloak to answer before giving up with its log. */
    @WithDefault("600s")
    Duration keycloakStartTimeout();
}
