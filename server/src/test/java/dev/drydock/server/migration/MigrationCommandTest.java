package dev.drydock.server.migration;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cli.login.Credentials;
import dev.drydock.server.session.DroidTestServices;
import dev.drydock.server.testing.CliRun;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./drydock migration create|show|approve|watch} against the real test server, signed in as {@code login} leaves it. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class MigrationCommandTest {
    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path home;

    @Inject
    DataSource ds;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "mig-cli-fix",
                script(
                        calls(
                                "edit_file",
                                args("path", "calc.py", "old_text", "return a - b", "new_text", "return a + b")),
                        calls("run_tests", "{}"),
                        calls("finish", args("summary", "Fixed add()."))));
        DroidTestServices.SCRIPTS.put(
                "mig-cli-plan",
                script(calls(
                        "finish",
                        args(
                                "title",
                                "Plan",
                                "document",
                                "```json\n{\"tasks\": [{\"id\": \"fix-add\", \"repository\": \"droid-calc\", \"scope\": \"[script:mig-cli-fix] calc.py\","
                                        + " \"acceptance\": \"python3 -m unittest\"}]}\n```\n"))));
    }

    @BeforeEach
    void demoWorkspaceLetsDroidsEdit() throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
    }

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("drydock.credentials");
    }

    /** Signs {@code user} in as {@code ./drydock login} would leave it: their tokens in an owner-only credentials file. */
    void signIn(String user) {
        System.setProperty("drydock.credentials", home.resolve(user + ".json").toString());
        String tokenUrl = RealServices.get().keycloak().realmUrl() + "/protocol/openid-connect/token";
        JsonPath t = given().formParam("grant_type", "password")
                .formParam("client_id", RealServices.TEST_CLIENT)
                .formParam("username", user)
                .formParam("password", RealServices.password(user))
                .formParam("scope", "openid")
                .post(tokenUrl)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String access = t.getString("access_token");
        Matcher exp = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)")
                .matcher(new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(exp.find()).isTrue();
        new Credentials(
                        base.toString().replaceAll("/$", ""),
                        RealServices.get().keycloak().realmUrl(),
                        RealServices.TEST_CLIENT,
                        tokenUrl,
                        tokenUrl.replace("/token", "/revoke"),
                        user,
                        access,
                        Instant.ofEpochSecond(Long.parseLong(exp.group(1))),
                        t.getString("refresh_token"))
                .save();
    }

    @Test
    void shouldPlanApproveAndFollowMigrationWhenMemberUsesMigrationCommands() throws Exception {
        // Given mike signed in
        signIn("mike");

        // When he creates a migration that waits for merges (droid-calc has no git server, so a succeeded task
        // counts at once), shows it once planned, approves it and watches it to the end
        CliRun create = CliRun.of(
                "migration",
                "create",
                "-w",
                "demo",
                "-r",
                "droid-calc",
                "--ready-when",
                "merged",
                "[script:mig-cli-plan] Fix add().");
        Matcher id =
                Pattern.compile("migration ([0-9a-f-]{36}) is being planned").matcher(create.out());
        assertThat(id.find()).as(create.out() + create.err()).isTrue();
        JsonPath planned = Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("mike"))
                        .get("/api/workspaces/demo/migrations/" + id.group(1))
                        .then()
                        .extract()
                        .jsonPath(),
                j -> "planned".equals(j.getString("state")),
                Duration.ofSeconds(120),
                JsonPath::prettify);
        CliRun show = CliRun.of("migration", "show", "-w", "demo", id.group(1));
        CliRun plan = CliRun.of("migration", "show", "-w", "demo", "--plan", id.group(1));
        CliRun approve = CliRun.of("migration", "approve", "-w", "demo", id.group(1));
        CliRun watch = CliRun.of("migration", "watch", "-w", "demo", "--interval", "1", id.group(1));
        CliRun again = CliRun.of("migration", "approve", "-w", "demo", id.group(1));

        // Then each says what happened; approving twice is one clear line and a failing exit code
        assertThat(create.exit()).isZero();
        assertThat(planned.getString("readyWhen")).isEqualTo("merged");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains(": planned").contains("fix-add").contains("droid-calc");
        assertThat(plan.out()).contains("\"id\" : \"fix-add\"").contains("\"acceptance\" : \"python3 -m unittest\"");
        assertThat(approve.exit()).as(approve.err()).isZero();
        assertThat(approve.out()).contains(": running");
        assertThat(watch.exit()).as(watch.out() + watch.err()).isZero();
        assertThat(watch.out())
                .contains("task fix-add: running session ")
                .contains("task fix-add: succeeded")
                .endsWith("migration completed\n");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("only a planned migration can be approved; this one is completed");
    }
}
