package dev.drydock.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.testing.PortalSignIn;
import dev.drydock.server.testing.RealServices;
import dev.drydock.server.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@link PortalErrors}, the one mapper of errors under {@code /portal}: portal pages and forms answer
 * with the HTML error page and a link back, the API and the portal's script-read JSON with
 * problem+json, over the same server.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class PortalErrorsTest {
    @TestHTTPResource("/")
    URI base;

    private HttpResponse<String> get(HttpClient client, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRenderHtmlErrorPagesWhenPortalPagesFail() throws Exception {
        // Given mike's portal session
        HttpClient mike = PortalSignIn.client(base, "mike");

        // When he opens a session that does not exist, a page that does not exist and a session's action
        HttpResponse<String> session = get(mike, "/portal/sessions/00000000-0000-0000-0000-000000000000");
        HttpResponse<String> nowhere = get(mike, "/portal/no-such-page");
        HttpResponse<String> record = get(mike, "/portal/sessions/00000000-0000-0000-0000-000000000000/record");

        // Then each is the HTML error page with its status, detail and way back, without internals
        assertThat(session.statusCode()).isEqualTo(404);
        assertThat(session.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(session.body())
                .contains("id=\"problem-title\"")
                .contains("does not exist or you may not see it")
                .contains("href=\"/portal\"")
                .doesNotContain("Exception");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).contains("There is no page at /portal/no-such-page.");
        assertThat(record.statusCode()).isEqualTo(404);
        assertThat(record.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(record.body()).contains("href=\"/portal/sessions/00000000-0000-0000-0000-000000000000\"");
    }

    @Test
    void shouldAnswerProblemJsonWhenApiOrAPageScriptRequestFails() throws Exception {
        // Given mike's portal session and his access token
        HttpClient mike = PortalSignIn.client(base, "mike");
        HttpClient api = HttpClient.newHttpClient();

        // When the API, a session's event stream and a page that is no API are asked for what is not there
        HttpResponse<String> session = get(
                api,
                "/api/sessions/00000000-0000-0000-0000-000000000000",
                "Authorization",
                "Bearer " + Tokens.of("mike"));
        HttpResponse<String> nowhere =
                get(api, "/api/no-such-resource", "Authorization", "Bearer " + Tokens.of("mike"));
        HttpResponse<String> stream = get(
                mike, "/portal/sessions/00000000-0000-0000-0000-000000000000/events", "Accept", "text/event-stream");

        // Then each answers problem+json, as before the portal had a mapper of its own
        for (HttpResponse<String> r : java.util.List.of(session, nowhere, stream)) {
            assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(r.uri().toString())
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(r.body()).as(r.uri().toString()).contains("\"status\":404");
        }
        assertThat(nowhere.body()).contains("No resource at /api/no-such-resource.");
    }
}
