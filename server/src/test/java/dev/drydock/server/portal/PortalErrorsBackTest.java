package dev.drydock.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where {@link PortalErrors}' error page links back to, and which portal paths keep problem+json. */
class PortalErrorsBackTest {
    @ParameterizedTest
    @CsvSource({
        "/portal, /portal",
        "/portal/sessions/s1, /portal",
        "/portal/admin/models/vllm-b/gate, /portal/admin/models",
        "/portal/admin/mcp/everything/refresh, /portal/admin/mcp",
        "/portal/sessions/s1/approve, /portal/sessions/s1",
        "/portal/sessions/s1/record, /portal/sessions/s1",
        "/portal/sessions/s1/artifacts/2, /portal/sessions/s1",
        "/portal/workspaces/demo, /portal",
        "/portal/workspaces/demo/sessions, /portal/workspaces/demo",
        "/portal/workspaces/demo/memories/m1/delete, /portal/workspaces/demo",
        "/portal/workspaces/demo/settings/hooks, /portal/workspaces/demo",
        "/portal/workspaces/demo/migrations, /portal/workspaces/demo/migrations",
        "/portal/workspaces/demo/migrations/m1/approve, /portal/workspaces/demo/migrations/m1",
        "/portal/me/api-keys, /portal/me",
        "/portal/repositories/add, /portal/repositories",
        "/portal/search/code, /portal/search",
        "/portal/admin/routes, /portal",
    })
    void shouldLinkBackToThePageTheRequestBelongsToWhenItFails(String path, String back) {
        // Given a failed request's path

        // When the error page is drawn
        String link = PortalErrors.back(path);

        // Then it links back to where the person came from
        assertThat(link).isEqualTo(back);
    }

    @ParameterizedTest
    @CsvSource({
        "/portal/sessions/s1, true",
        "/portal/no-such-page, true",
        "/portal/sessions/s1/events, false",
        "/portal/workspaces/demo/migrations/m1/board, false",
        "/portal/workspaces/demo/lookup, false",
        "/api/sessions/s1, false",
        "/portalx, false",
    })
    void shouldAnswerHtmlOnlyForPortalPagesWhenAPathFails(String path, boolean page) {
        // Given a failed request's path

        // When the mapper decides between the error page and problem+json
        boolean html = PortalErrors.page(path);

        // Then pages get HTML, the API and the scripts' JSON problem+json
        assertThat(html).isEqualTo(page);
    }
}
