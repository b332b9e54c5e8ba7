package dev.drydock.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SameOriginCheckTest {
    @Test
    void shouldAcceptFormWhenOriginIsThePortalItself() {
        // When
        boolean accepted = SameOriginCheck.sameOrigin("http://localhost:8080", null, "localhost:8080");

        // Then
        assertThat(accepted).isTrue();
    }

    @Test
    void shouldAcceptFormWhenPageIsHttpsBehindProxy() {
        // When
        boolean accepted =
                SameOriginCheck.sameOrigin("https://drydock.corp.example", "same-origin", "drydock.corp.example");

        // Then
        assertThat(accepted).isTrue();
    }

    @Test
    void shouldRefuseFormWhenOriginIsSiblingHostOfSameSite() {
        // When
        boolean accepted = SameOriginCheck.sameOrigin("https://wiki.corp.example", "same-site", "drydock.corp.example");

        // Then
        assertThat(accepted).isFalse();
    }

    @Test
    void shouldRefuseFormWhenOriginIsOpaqueOrMalformed() {
        // When
        boolean opaque = SameOriginCheck.sameOrigin("null", null, "localhost:8080");
        boolean malformed = SameOriginCheck.sameOrigin("http://local host:8080", null, "localhost:8080");
        boolean otherPort = SameOriginCheck.sameOrigin("http://localhost:9999", null, "localhost:8080");

        // Then
        assertThat(opaque).isFalse();
        assertThat(malformed).isFalse();
        assertThat(otherPort).isFalse();
    }

    @Test
    void shouldFallBackToFetchMetadataWhenOriginIsMissing() {
        // When
        boolean sameOrigin = SameOriginCheck.sameOrigin(null, "same-origin", "localhost:8080");
        boolean crossSite = SameOriginCheck.sameOrigin(null, "cross-site", "localhost:8080");
        boolean unknown = SameOriginCheck.sameOrigin(null, null, "localhost:8080");

        // Then
        assertThat(sameOrigin).isTrue();
        assertThat(crossSite).isFalse();
        assertThat(unknown).isFalse();
    }
}
