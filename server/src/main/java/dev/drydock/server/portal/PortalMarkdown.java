package dev.drydock.server.portal;

import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown of droid documents (the knowledge droid's answers, the reliability droid's RCAs) as HTML
 * for the portal, rendered on the server by commonmark-java: raw HTML in the source is escaped, never
 * passed through, and link and image URLs other than http(s), mailto and relative ones are dropped,
 * so a document cannot bring a script into the page.
 */
final class PortalMarkdown {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true)
            .build();

    private PortalMarkdown() {}

    static String html(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
