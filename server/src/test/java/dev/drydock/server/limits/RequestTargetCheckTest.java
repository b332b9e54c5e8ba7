package dev.drydock.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTargetCheckTest {
    @Test
    void shouldRefuseNulMalformedEscapesAndNonUtf8WhenTheyAreInThePathOrQuery() {
        // Given
        List<String> bad = List.of("/api/workspaces/a%00b", "/x/%zz", "/x/%", "/x/%FF%FE", "/x/%C0%AE", "/x/%ED%A0%80");

        // When
        List<String> faults =
                bad.stream().map(p -> RequestTargetCheck.fault("path", p)).toList();

        // Then
        assertThat(faults).doesNotContainNull();
        assertThat(faults.getFirst()).contains("NUL");
        assertThat(faults.get(1)).contains("malformed percent escape");
        assertThat(faults.get(3)).contains("not valid UTF-8");
    }

    @Test
    void shouldAcceptUnicodeAndEncodedTextWhenItIsValidUtf8() {
        // Given
        List<String> good = List.of(
                "/api/workspaces/demo", "q=%E2%98%83+snow%2F%25", "/portal/sessions/%F0%9F%92%A9", "", "a=b&c=");

        // When
        List<String> faults =
                good.stream().map(p -> RequestTargetCheck.fault("query", p)).toList();

        // Then
        assertThat(faults).containsOnlyNulls();
    }

    @Test
    void shouldRefuseContentTypeAndAcceptWhenTheyAreNoMediaTypes() {
        // When
        String contentType = RequestTargetCheck.mediaTypeFault("a/b/c", null);
        String noSlash = RequestTargetCheck.mediaTypeFault("json", null);
        String accept = RequestTargetCheck.mediaTypeFault(null, "application/json, te xt/html");

        // Then
        assertThat(contentType).contains("Content-Type header 'a/b/c' is not a media type");
        assertThat(noSlash).contains("not a media type");
        assertThat(accept).contains("'te xt/html'");
    }

    @Test
    void shouldAcceptMediaTypesBrowsersAndOldJavaClientsSend() {
        // Given
        List<String[]> good = List.of(
                new String[] {"application/json; charset=UTF-8", null},
                new String[] {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk", null},
                new String[] {
                    null, "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
                },
                new String[] {null, "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"},
                new String[] {"application/problem+json", "application/vnd.drydock+json;version=2, text/*"});

        // When
        List<String> faults = good.stream()
                .map(h -> RequestTargetCheck.mediaTypeFault(h[0], h[1]))
                .toList();

        // Then
        assertThat(faults).containsOnlyNulls();
    }
}
