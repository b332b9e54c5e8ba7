package dev.drydock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathPatternTest {
    @Test
    void shouldMatchTheFolderAndEverythingBelowWhenPatternNamesAFolder() {
        PathPattern p = new PathPattern("/deploy/prod/");
        assertThat(p.glob()).isEqualTo("deploy/prod");
        assertThat(p.matches("deploy/prod")).isTrue();
        assertThat(p.matches("deploy/prod/db/password.txt")).isTrue();
        assertThat(p.matches("deploy/production.txt")).isFalse();
        assertThat(p.matches("other/deploy/prod/x")).isFalse();
    }

    @Test
    void shouldKeepSingleStarInOneSegmentAndLetDoubleStarSpanSegments() {
        assertThat(new PathPattern("**/*.pem").matches("server.pem")).isTrue();
        assertThat(new PathPattern("**/*.pem").matches("a/b/c/server.pem")).isTrue();
        assertThat(new PathPattern("**/*.pem").matches("a/server.pem.txt")).isFalse();
        assertThat(new PathPattern("config/*.yml").matches("config/app.yml")).isTrue();
        assertThat(new PathPattern("config/*.yml").matches("config/sub/app.yml"))
                .isFalse();
        assertThat(new PathPattern("src/**/Secret?.java").matches("src/main/java/SecretA.java"))
                .isTrue();
        assertThat(new PathPattern("a.b").matches("aXb")).isFalse();
    }

    @Test
    void shouldRefuseWhenPatternIsEmptyEscapesOrUsesUnsupportedSyntax() {
        for (String bad :
                new String[] {"", "  ", "/", "../x", "a/./b", "a//b", "a\\b", "[abc]", "{a,b}", "x".repeat(201)}) {
            assertThatThrownBy(() -> new PathPattern(bad))
                    .as(bad)
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("path pattern");
        }
    }
}
