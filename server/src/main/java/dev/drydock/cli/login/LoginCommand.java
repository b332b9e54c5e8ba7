package dev.drydock.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.server.auth.UnverifiedJwt;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock login --server URL}: signs a person in to a remote Drydock with the OAuth 2.0
 * device authorization grant (RFC 8628), so that no password ever passes through the terminal: the
 * command prints a link and a code, the person confirms in a browser (where the company's Keycloak,
 * and its MFA, apply), and the tokens are kept in an owner-only file for later commands.
 */
@Command(
        name = "login",
        description = "Sign in to a Drydock server from this terminal (device authorization in a browser).")
public final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, description = "The Drydock server, e.g. https://drydock.internal")
    String server;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String base = RemoteServer.normalize(server);
        HttpClient http = RemoteServer.client();
        JsonNode config = RemoteServer.getJson(http, base + "/api/cli-config");
        String issuer = config.path("issuer").asText();
        String clientId = config.path("clientId").asText();
        JsonNode discovery = RemoteServer.getJson(http, issuer + "/.well-known/openid-configuration");
        String deviceEndpoint = discovery.path("device_authorization_endpoint").asText("");
        String tokenEndpoint = discovery.path("token_endpoint").asText("");
        if (deviceEndpoint.isEmpty() || tokenEndpoint.isEmpty()) {
            throw new CliException(issuer + " does not offer the device authorization grant", CliExit.UNAVAILABLE);
        }
        JsonNode device = RemoteServer.postForm(http, deviceEndpoint, Map.of("client_id", clientId, "scope", "openid"));
        if (!device.hasNonNull("device_code")) {
            throw new CliException(
                    "Keycloak refused to start the sign-in: "
                            + device.path("error_description")
                                    .asText(device.path("error").asText("no device code")),
                    CliExit.UNAVAILABLE);
        }
        err.println("To sign in, open this link in a browser and confirm:");
        err.println("  "
                + device.path("verification_uri_complete")
                        .asText(device.path("verification_uri").asText()));
        err.println("(or open " + device.path("verification_uri").asText() + " and enter the code "
                + device.path("user_code").asText() + ")");
        err.flush();
        Duration interval =
                Duration.ofSeconds(Math.max(1, device.path("interval").asLong(5)));
        Instant deadline = Instant.now().plusSeconds(device.path("expires_in").asLong(600));
        while (true) {
            // RFC 8628 section 3.5: poll no faster than the interval the server gave; slow_down adds 5 seconds.
            Thread.sleep(interval);
            JsonNode token = RemoteServer.postForm(
                    http,
                    tokenEndpoint,
                    Map.of(
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:device_code",
                            "client_id",
                            clientId,
                            "device_code",
                            device.path("device_code").asText()));
            if (token.hasNonNull("access_token")) {
                String access = token.get("access_token").asText();
                String username = claim(access, "preferred_username");
                new Credentials(
                                base,
                                issuer,
                                clientId,
                                tokenEndpoint,
                                discovery.path("revocation_endpoint").asText(""),
                                username,
                                access,
                                Instant.now()
                                        .plusSeconds(token.path("expires_in").asLong(60)),
                                token.path("refresh_token").asText(""))
                        .save();
                out.println(
                        "signed in to " + base + " as " + username + " (credentials in " + Credentials.file() + ")");
                return CliExit.OK;
            }
            String error = token.path("error").asText("");
            switch (error) {
                case "authorization_pending" -> {}
                case "slow_down" -> interval = interval.plusSeconds(5);
                case "access_denied" ->
                    throw new CliException("the sign-in was declined in the browser", CliExit.FAILED);
                case "expired_token" ->
                    throw new CliException(
                            "the code expired before it was confirmed; run the command again", CliExit.FAILED);
                default ->
                    throw new CliException(
                            "Keycloak refused the sign-in: "
                                    + token.path("error_description").asText(error),
                            CliExit.FAILED);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new CliException(
                        "the code expired before it was confirmed; run the command again", CliExit.FAILED);
            }
        }
    }

    /** A claim of a token the command itself just received over TLS from the issuer (a label, not a verification). */
    static String claim(String jwt, String name) {
        return UnverifiedJwt.payload(jwt).map(n -> n.path(name).asText("?")).orElse("?");
    }

    /** {@code ./drydock logout}: revokes the refresh token at the issuer and deletes the credentials file. */
    @Command(name = "logout", description = "Sign out: revoke this terminal's tokens and forget them.")
    public static final class Logout implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            var stored = Credentials.load();
            if (stored.isEmpty()) {
                out.println("not signed in");
                return CliExit.OK;
            }
            Credentials c = stored.get();
            if (!c.revocationEndpoint().isEmpty()) {
                JsonNode r = RemoteServer.postForm(
                        RemoteServer.client(),
                        c.revocationEndpoint(),
                        Map.of(
                                "client_id",
                                c.clientId(),
                                "token",
                                c.refreshToken(),
                                "token_type_hint",
                                "refresh_token"));
                if (r.hasNonNull("error")) {
                    spec.commandLine()
                            .getErr()
                            .println("drydock logout: the issuer did not revoke the token ("
                                    + r.path("error").asText() + "); forgetting it anyway");
                }
            }
            Credentials.delete();
            out.println("signed out of " + c.server());
            return CliExit.OK;
        }
    }
}
