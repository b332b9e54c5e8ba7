package dev.drydock.cli.realm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.server.appliance.RealmTemplate;
import dev.drydock.server.appliance.Secrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock realm apply}: bring an existing Keycloak realm up to the shipped roles, groups and clients. */
@Command(name = "realm", description = "Manage the drydock realm in Keycloak.", subcommands = RealmCommand.Apply.class)
public final class RealmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliExit.USAGE;
    }

    @Command(
            name = "apply",
            description =
                    "Create missing roles, groups and clients and update changed clients, idempotently, through the Admin API.")
    static final class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--url",
                defaultValue = "http://127.0.0.1:8180",
                description = "Keycloak base URL (default: the embedded one)")
        String url;

        @Option(names = "--realm", defaultValue = "drydock", description = "Realm name")
        String realm;

        @Option(
                names = "--portal-url",
                defaultValue = "http://localhost:8080",
                description = "Public URL of the Drydock portal (redirect URIs)")
        String portalUrl;

        @Option(names = "--admin-user", defaultValue = "admin", description = "Master-realm administrator")
        String adminUser;

        @Option(
                names = "--admin-password-env",
                description =
                        "Environment variable holding the administrator password (default: the embedded appliance's secret)")
        String passwordEnv;

        @Option(
                names = "--server-secret-env",
                description =
                        "Environment variable holding the drydock-server client's secret, used if that client has to be created (default: the embedded appliance's secret)")
        String serverSecretEnv;

        @Override
        public Integer call() throws IOException {
            Secrets s = Secrets.load(
                    Path.of(System.getenv().getOrDefault("DRYDOCK_HOME", ".drydock"), "secrets.properties"));
            String password;
            if (passwordEnv != null) {
                password = env(passwordEnv);
            } else {
                if (!s.has("keycloak.bootstrap-admin-password")) {
                    throw new CliException(
                            "no administrator password: pass --admin-password-env VAR, or run this on the machine of './drydock up'",
                            CliExit.USAGE);
                }
                password = s.getOrCreate("keycloak.bootstrap-admin-password");
            }
            // The server client's secret must be the one the server is started with: the appliance's own, or the
            // operator's.
            Map<String, String> newClientSecrets = serverSecretEnv != null
                    ? Map.of("drydock-server", env(serverSecretEnv))
                    : s.has("keycloak.bootstrap-admin-password")
                            ? Map.of("drydock-server", s.getOrCreate(Secrets.SERVER_CLIENT_SECRET))
                            : Map.of();
            // Secrets are not part of what apply owns: placeholders stay, and existing client secrets are never
            // overwritten.
            var desired = new ObjectMapper()
                    .readTree(RealmTemplate.shipped(portalUrl, "unchanged", "unchanged", "unchanged")
                            .toJson());
            PrintWriter out = spec.commandLine().getOut();
            RealmApply.Report report =
                    RealmApply.connect(url, realm, adminUser, password).apply(desired, newClientSecrets, out::println);
            out.println("realm " + realm + ": " + report.created().size() + " created, "
                    + report.updated().size() + " updated, " + report.unchanged() + " unchanged");
            if (report.created().contains("client drydock-server") && newClientSecrets.isEmpty()) {
                out.println(
                        "Keycloak generated the drydock-server client's secret: copy it from the admin console (Clients > drydock-server > Credentials) into DRYDOCK_IDENTITY_CLIENT_SECRET of the server.");
            }
            return CliExit.OK;
        }

        private static String env(String name) {
            String value = System.getenv(name);
            if (value == null) {
                throw new CliException("environment variable " + name + " is not set", CliExit.USAGE);
            }
            return value;
        }
    }
}
