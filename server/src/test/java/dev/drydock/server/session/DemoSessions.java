package dev.drydock.server.session;

import static io.restassured.RestAssured.given;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.testing.Poll;
import dev.drydock.server.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * What the build-environment session tests ({@link MavenBuildSessionTest}, {@link
 * PackageMirrorSessionTest}) share: mike's code-droid sessions in the demo workspace, their events,
 * and bare repositories of real projects in the demo workspace's folder of the mirror root.
 */
record DemoSessions(EventLog log) {
    /** A code-droid session on {@code repo} of the demo workspace, started by mike; its id. */
    static String create(String task, String repo) {
        return given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(Map.of("workspace", "demo", "droid", "code", "task", task, "repo", repo))
                .when()
                .post("/api/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The session as mike sees it, once {@code done} holds. */
    JsonPath await(String id, Predicate<JsonPath> done, Duration within) throws InterruptedException {
        return Poll.until(
                () -> given().auth()
                        .oauth2(Tokens.of("mike"))
                        .when()
                        .get("/api/sessions/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                done,
                within,
                s -> "session " + id + ": " + s.prettify() + "\n" + story(id));
    }

    /** The session's payloads of one type, in order. */
    <T> List<T> observations(String id, Class<T> type) {
        return log.readAll(id).stream()
                .map(Event::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** The session's events, one a line (each cut at 1,500 characters), for failure messages. */
    String story(String id) {
        StringBuilder out = new StringBuilder();
        for (Event e : log.readAll(id)) {
            String payload = String.valueOf(e.payload());
            out.append(e.seq())
                    .append(' ')
                    .append(payload, 0, Math.min(payload.length(), 1500))
                    .append('\n');
        }
        return out.toString();
    }

    /** Files a test writes into a new project folder. */
    @FunctionalInterface
    interface Project {
        void write(Path dir) throws Exception;
    }

    /**
     * The bare repository {@code name} in the demo workspace's folder of the mirror root, made once:
     * {@code project} writes the files, one commit on main holds them.
     */
    static void bareRepo(String name, Project project) throws Exception {
        Path bare = DroidTestServices.mirrorRoot.resolve("demo").resolve(name + ".git");
        if (Files.exists(bare)) {
            return;
        }
        Path src = Files.createTempDirectory(DroidTestServices.mirrorRoot, "src-");
        project.write(src);
        try (Git git =
                Git.init().setDirectory(src.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Test", "test@drydock.invalid");
            git.commit()
                    .setMessage("calc with a bug")
                    .setAuthor(who)
                    .setCommitter(who)
                    .setSign(false)
                    .call();
        }
        Git.cloneRepository()
                .setURI(src.toUri().toString())
                .setBare(true)
                .setDirectory(bare.toFile())
                .call()
                .close();
    }
}
