package dev.drydock.server.session;

import static dev.drydock.server.session.DroidTestServices.args;
import static dev.drydock.server.session.DroidTestServices.calls;
import static dev.drydock.server.session.DroidTestServices.script;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.repository.RepositorySync;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classification labels on paths, end to end with a real sandbox and the gateway: a path labelled
 * above what the droid's endpoint is cleared for never enters the session, and reading a path
 * labelled above the repository raises the classification every later model request carries.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(DroidTestServices.class)
class PathClassificationTest {
    /** Only the secret file holds this; no model request may ever contain it. */
    static final String SECRET = "PASSWORD=hunter2-4f1c";

    @Inject
    EventLog log;

    @Inject
    DataSource ds;

    @Inject
    RepositorySync repositories;

    @BeforeAll
    static void scripts() {
        DroidTestServices.SCRIPTS.put(
                "labels",
                script(
                        calls("read_file", args("path", "README.md")),
                        calls("read_file", args("path", "billing/rates.txt")),
                        calls("read_file", args("path", "secrets/db.env")),
                        calls("finish", args("title", "Rates", "document", "# Rates\n\nThe rate is 3."))));
    }

    @Test
    void shouldWithholdSecretPathsAndRaiseClassificationWhenDroidReadsLabelledFile() throws Exception {
        // Given workspace demo (internal), a repository with a confidential and a secret folder, and a
        // model endpoint cleared for confidential
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "insert into workspace(slug, display_name, created_at, autonomy) values ('demo', 'demo', now(), 'auto-edit') "
                                + "on conflict (slug) do update set autonomy = 'auto-edit', allowed_droids = 'code,knowledge,reliability', allowed_routes = '*', classification = 'internal'")) {
            ps.executeUpdate();
        }
        String name = "billing-" + ProcessHandle.current().pid();
        Path source =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "drydock-test-repos", name));
        Files.writeString(source.resolve("README.md"), "# billing\n\nComputes invoices.\n");
        Files.createDirectories(source.resolve("billing"));
        Files.writeString(source.resolve("billing/rates.txt"), "rate=3\n");
        Files.createDirectories(source.resolve("secrets"));
        Files.writeString(source.resolve("secrets/db.env"), SECRET + "\n");
        try (Git git = Git.init()
                .setDirectory(source.toFile())
                .setInitialBranch("main")
                .call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("billing")
                    .setAuthor("t", "t@example.test")
                    .setCommitter("t", "t@example.test")
                    .call();
        }
        given().auth()
                .oauth2(Tokens.of("wanda"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        name,
                        "path",
                        source.toString(),
                        "branch",
                        "main",
                        "pathLabels",
                        List.of(
                                Map.of("path", "billing", "classification", "confidential"),
                                Map.of("path", "secrets/**", "classification", "secret"))))
                .when()
                .post("/api/workspaces/demo/repositories")
                .then()
                .statusCode(201);
        repositories.scheduleSync("demo", name).get(120, TimeUnit.SECONDS);
        int before = DroidTestServices.RECEIVED.size();

        // When
        String id = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "workspace",
                        "demo",
                        "droid",
                        "knowledge",
                        "task",
                        "[script:labels] What are the rates?",
                        "repo",
                        name))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        JsonPath done = Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/sessions/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                s -> s.getString("status").equals("finished"),
                Duration.ofSeconds(90),
                JsonPath::prettify);

        // Then the session succeeded at confidential
        List<Event> events = log.readAll(id);
        assertThat(done.getString("outcome")).as(() -> story(events)).isEqualTo("completed");
        assertThat(done.getString("classification")).isEqualTo("confidential");
        // one rise, when it read the confidential file
        List<Telemetry.ClassificationRaised> raised = payloads(events, Telemetry.ClassificationRaised.class);
        assertThat(raised).hasSize(1);
        assertThat(raised.getFirst().from()).isEqualTo("internal");
        assertThat(raised.getFirst().to()).isEqualTo("confidential");
        assertThat(raised.getFirst().reason()).contains("billing/rates.txt");
        // the secret folder was not in the sandbox, and the prompt says why
        List<Observation.ToolFailed> failed = payloads(events, Observation.ToolFailed.class);
        assertThat(failed).singleElement().satisfies(f -> assertThat(f.error()).contains("secrets/db.env"));
        assertThat(payloads(events, Progress.ContextPrepared.class).getFirst().overview())
                .contains("Withheld by classification", "`secrets/**`");
        // each model request carried the classification of what it held: internal until the read, then confidential
        List<String> levels = new ArrayList<>();
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "select classification from gateway_request where session_id = ? order by created_at")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    levels.add(rs.getString(1));
                }
            }
        }
        assertThat(levels).containsExactly("internal", "internal", "confidential", "confidential");
        // and no model ever received the secret
        assertThat(DroidTestServices.RECEIVED.subList(before, DroidTestServices.RECEIVED.size()))
                .isNotEmpty()
                .noneMatch(body -> body.contains("hunter2"));
    }

    static <T> List<T> payloads(List<Event> events, Class<T> type) {
        return events.stream()
                .map(Event::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    static String story(List<Event> events) {
        StringBuilder out = new StringBuilder();
        for (Event e : events) {
            String payload = String.valueOf(e.payload());
            out.append(e.seq())
                    .append(' ')
                    .append(payload, 0, Math.min(payload.length(), 600))
                    .append('\n');
        }
        return out.toString();
    }
}
