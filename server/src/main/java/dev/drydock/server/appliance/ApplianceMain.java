package dev.drydock.server.appliance;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Entry point of the server. In Kubernetes it simply runs Quarkus. Under {@code ./drydock up}
 * ({@code drydock.appliance.enabled=true}) it first starts the embedded PostgreSQL and Keycloak,
 * points Quarkus at them, prints where everything runs, and stops them again on Ctrl-C.
 */
@QuarkusMain
public final class ApplianceMain {
    private static volatile @Nullable Appliance appliance;

    private ApplianceMain() {}

    public static void main(String... args) {
        // Quarkus has not configured logging yet: keep the config bootstrap quiet.
        java.util.logging.Logger.getLogger("io.smallrye.config").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("org.jboss.logging").setLevel(java.util.logging.Level.WARNING);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(ApplianceConfig.class)
                .withValidateUnknown(false)
                .build();
        ApplianceConfig settings = config.getConfigMapping(ApplianceConfig.class);
        if (!settings.enabled()) {
            Quarkus.run(args);
            return;
        }
        int httpPort =
                config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        Console console = Console.system();
        try {
            appliance = Appliance.start(
                    settings,
                    httpPort,
                    new Appliance.ExternalServices(
                            env("DRYDOCK_DB_URL"),
                            env("DRYDOCK_DB_USER"),
                            env("DRYDOCK_DB_PASSWORD"),
                            env("DRYDOCK_OIDC_URL")),
                    console);
        } catch (ApplianceException e) {
            Console.error("drydock up: " + e.component() + ": " + e.getMessage());
            System.exit(69);
            return;
        }
        Appliance running = appliance;
        // JVM shutdown hooks run at the same time: let the server finish its own shutdown (its last audit
        // checkpoint, recording interrupted sessions) before the database and Keycloak stop under it.
        Runtime.getRuntime()
                .addShutdownHook(
                        Thread.ofPlatform().name("drydock-appliance-stop").unstarted(() -> {
                            awaitServerStopped(Duration.ofSeconds(60));
                            running.close();
                        }));
        for (Map.Entry<String, String> setting : running.serverSettings().entrySet()) {
            System.setProperty(setting.getKey(), setting.getValue());
        }
        console.line("  server: starting on port " + httpPort + "…");
        Quarkus.run(
                Started.class,
                (exitCode, failure) -> {
                    if (failure != null) {
                        Console.error("drydock up: server: " + EmbeddedDatabase.rootMessage(failure));
                    }
                    running.close();
                    if (failure != null || exitCode != 0) {
                        System.exit(exitCode == 0 ? 1 : exitCode);
                    }
                },
                args);
    }

    private static void awaitServerStopped(Duration timeout) {
        Application server = Application.currentApplication();
        if (server == null) {
            return;
        }
        Thread waiter = Thread.ofVirtual().name("drydock-await-server-stop").start(server::awaitShutdown);
        try {
            waiter.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    /** Prints the summary once the server is up, then waits for Ctrl-C. */
    public static final class Started implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Appliance running = Objects.requireNonNull(appliance, "main() starts the appliance before Quarkus");
            Console console = Console.system();
            console.line("");
            console.line("Drydock is up.");
            for (String line : running.summary()) {
                console.line("  " + line);
            }
            running.firstAdminPassword().ifPresent(password -> {
                console.line("");
                console.line("  First start: sign in to the portal as '" + Appliance.ADMIN_USER + "' with password  "
                        + password);
                console.line("  (shown only this once; change it in Keycloak's account console)");
            });
            console.line("");
            console.line("Press Ctrl-C to stop everything.");
            Quarkus.waitForExit();
            return 0;
        }
    }
}
