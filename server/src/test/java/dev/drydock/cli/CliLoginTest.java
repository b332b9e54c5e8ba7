package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.drydock.cli.login.Credentials;
import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditJson;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.PortalBrowser;
import dev.drydock.server.testing.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./drydock login} with the device authorization grant against the real Keycloak, confirmed in a real browser. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class CliLoginTest {
    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path home;

    @Inject
    AuditTrail trail;

    @BeforeEach
    void credentialsInTempDir() {
        System.setProperty(
                "drydock.credentials", home.resolve("credentials.json").toString());
    }

    @AfterEach
    void forgetCredentialsLocation() {
        System.clearProperty("drydock.credentials");
    }

    String server() {
        return base.toString().replaceAll("/$", "");
    }

    @Test
    void shouldSignInThroughBrowserAndVerifyExportedAuditChainLocally() throws Exception {
        // Given an audit log with a record in it, and the login command waiting for its code to be confirmed
        String marker = trail.append(AuditEntry.of("cli-login-test", "test.marker", "exported over the API"))
                .hash();
        StringBuffer prompt = new StringBuffer();
        var cli = DrydockCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(
                new java.io.Writer() {
                    @Override
                    public void write(char[] c, int off, int len) {
                        prompt.append(c, off, len);
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                },
                true));
        CompletableFuture<Integer> login =
                CompletableFuture.supplyAsync(() -> cli.execute("login", "--server", server()));
        String link = awaitLink(prompt);

        // When alice opens the link, signs in to Keycloak and confirms
        try (PortalBrowser browser = PortalBrowser.launch()) {
            Page page = browser.newPage();
            page.navigate(link);
            page.waitForSelector("#username");
            page.fill("#username", "alice");
            page.fill("#password", RealServices.password("alice"));
            page.click("#kc-login");
            page.click("[name=accept]");
            try {
                login.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(
                        "login did not complete; the browser shows: " + page.innerText("body") + "\nCLI: " + prompt, e);
            }
        }

        // Then the command signs in, keeps the tokens owner-only, and later commands use them
        assertThat(login.get()).as(prompt.toString()).isZero();
        assertThat(out.toString()).contains("signed in to " + server() + " as alice");
        Path file = home.resolve("credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Credentials.load())
                .get()
                .satisfies(c -> assertThat(c.toString()).doesNotContain(c.accessToken()));
        CliRun verify = CliRun.of("audit", "verify", "--server", server());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out())
                .contains("audit chain intact")
                .contains("verified here")
                .doesNotContain("intact: 0 records");
        CliRun export = CliRun.of("audit", "export", "--server", server(), "--since", "2000-01-01T00:00:00Z");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out().lines().map(AuditJson::parse).map(r -> r.hash()).toList())
                .as(export.err())
                .contains(marker);
        CliRun logout = CliRun.of("logout");
        assertThat(logout.out()).contains("signed out of " + server());
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldSayWhatToRunWhenNotSignedInOrServerIsNoUrl() {
        // When
        CliRun notSignedIn = CliRun.of("audit", "verify", "--server", server());
        CliRun badServer = CliRun.of("login", "--server", "drydock.internal");
        CliRun unreachable = CliRun.of("login", "--server", "http://127.0.0.1:9");

        // Then
        assertThat(notSignedIn.exit()).isEqualTo(CliExit.USAGE);
        assertThat(notSignedIn.err()).contains("not signed in: run './drydock login --server " + server() + "'");
        assertThat(badServer.exit()).isEqualTo(CliExit.USAGE);
        assertThat(badServer.err()).contains("--server must be an http(s) URL");
        assertThat(unreachable.exit()).isEqualTo(CliExit.UNAVAILABLE);
        assertThat(unreachable.err()).contains("cannot reach");
    }

    private static String awaitLink(StringBuffer prompt) throws InterruptedException {
        Pattern url = Pattern.compile("(https?://\\S+user_code=\\S+)");
        Matcher m = Poll.until(
                () -> url.matcher(prompt),
                Matcher::find,
                java.time.Duration.ofSeconds(30),
                x -> "no sign-in link printed: " + prompt);
        return m.group(1);
    }
}
