package dev.drydock.server.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, hole 11: bodies over the size limit and JSON beyond the depth and string limits are
 * refused with a 4xx that says which limit, on {@code /api}, {@code /v1} and the portal's forms, never
 * a 500 or a stack trace (and never bound, stored or sent on).
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class RequestLimitsTest {
    /** Over the default drydock.http.max-body-size (4 MiB) and the front door's (4 MiB). */
    private static final int OVERSIZED = 5 * 1024 * 1024;

    @TestHTTPResource("/")
    URI base;

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String session(String extraField) {
        return "{\"workspace\": \"demo\", \"droid\": \"knowledge\", \"task\": \"limits\", \"notes\": " + extraField
                + "}";
    }

    @Test
    void shouldRefuseApiBodyWith413ProblemWhenItIsLargerThanTheLimit() {
        // Given
        String body = session("\"" + "x".repeat(OVERSIZED) + "\"");

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/sessions");

        // Then
        r.then().statusCode(413).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("at most 4194304").contains("drydock.http.max-body-size");
    }

    @Test
    void shouldRefusePortalFormWith413ProblemWhenItIsLargerThanTheLimit() {
        // Given
        String form = "droid=knowledge&task=" + "x".repeat(OVERSIZED);

        // When
        Response r = given().contentType(ContentType.URLENC)
                .header("Origin", base.toString().replaceFirst("/$", ""))
                .body(form)
                .when()
                .post("/portal/workspaces/demo/sessions");

        // Then
        r.then().statusCode(413).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("drydock.http.max-body-size");
    }

    @Test
    void shouldRefuseApiBodyOfUnknownLengthWith411ProblemWhenItIsSentChunked() throws Exception {
        // Given a body sent without a length (chunked), larger than every limit, so it could only be measured by
        // reading it
        byte[] body = session("\"" + "x".repeat(11 * 1024 * 1024) + "\"").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/sessions"))
                .header("Authorization", "Bearer " + Tokens.of("mike"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        // When
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        // Then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(411);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("Content-Length").doesNotContain("Exception");
    }

    @Test
    void shouldRefuseApiJsonWith400WhenItNestsDeeperThanTheLimit() {
        // Given a hundred nested arrays in a field the endpoint does not even bind
        String body = session(nested(100));

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/sessions");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail"))
                .contains("nests JSON objects or arrays deeper than the server accepts")
                .doesNotContain("StreamReadConstraints");
    }

    @Test
    void shouldRefuseApiJsonWith400WhenNestingWouldExhaustTheStack() {
        // Given
        String body = session(nested(500_000));

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/sessions");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("deeper than the server accepts");
    }

    @Test
    void shouldRefuseApiJsonWith400WhenAStringIsLongerThanTheLimit() {
        // Given a task of two million characters (within the body limit)
        String body =
                "{\"workspace\": \"demo\", \"droid\": \"knowledge\", \"task\": \"" + "y".repeat(2_000_000) + "\"}";

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/sessions");

        // Then
        r.then().statusCode(400).contentType("application/problem+json");
        assertThat(r.jsonPath().getString("detail"))
                .contains("JSON string longer than the server accepts")
                .contains("drydock.http.max-json-string-length");
    }

    @Test
    void shouldRefuseFrontDoorJsonWith400WhenItNestsDeeperThanTheLimit() {
        // Given
        String body = "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"metadata\": "
                + nested(100) + "}";

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .header("X-Drydock-Workspace", "demo")
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(400).contentType(ContentType.JSON);
        assertThat(r.jsonPath().getString("error.message"))
                .contains("nests JSON objects or arrays deeper than the server accepts");
    }

    @Test
    void shouldRefuseFrontDoorBodyWith413WhenItIsLargerThanItsLimit() {
        // Given
        String body = "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"" + "z".repeat(OVERSIZED)
                + "\"}]}";

        // When
        Response r = given().auth()
                .oauth2(Tokens.of("mike"))
                .header("X-Drydock-Workspace", "demo")
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/v1/chat/completions");

        // Then
        r.then().statusCode(413).contentType(ContentType.JSON);
        assertThat(r.jsonPath().getString("error.message")).contains("request body larger than");
    }

    @Test
    void shouldAnswerEveryRequestOnTheConnectionWhenAnUnknownFrontDoorRouteIsSentABody() throws Exception {
        // Given a request with a body to a route the front door does not have, then another on the same connection
        byte[] body = ("{\"x\": \"" + "y".repeat(30_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        String first = "DELETE /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        String second = "GET /v1/nowhere HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        String answers;

        // When
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(first.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.write(second.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        // Then both are answered, in order, in OpenAI's error format
        assertThat(answers.split("HTTP/1.1 404", -1)).as(answers).hasSize(3);
        assertThat(answers)
                .contains("no such route: DELETE /v1/chat/completions")
                .contains("no such route: GET /v1/nowhere");
    }
}
