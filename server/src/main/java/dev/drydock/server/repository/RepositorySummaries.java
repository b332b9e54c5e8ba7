package dev.drydock.server.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.GatewayException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A model-written summary of a repository, asked for when it is indexed, through the gateway like
 * every model call (purpose {@value #PURPOSE}, so operators can route it to a small model). Without a
 * model that may take the repository's classification, there is no summary and indexing goes on.
 */
@ApplicationScoped
public class RepositorySummaries {
    /** The gateway purpose of summary requests. */
    static final String PURPOSE = "summarize";
    /** The most README text sent along. */
    static final int README_CHARS = 3000;

    private static final Logger LOG = Logger.getLogger(RepositorySummaries.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTRUCTIONS = "You summarise a code repository for engineers and for coding agents. "
            + "Write one paragraph of at most 120 words: what the project is, its main parts, and how to build and test it. "
            + "Use only the facts given; do not invent names.";

    @Inject
    GatewayService gateway;

    /** The summary, or empty when no model is configured for it or the model failed (logged). */
    Optional<String> summarize(String workspace, String name, Classification level, String overview, String readme) {
        ArrayNode messages = JSON.createArrayNode();
        messages.addObject().put("role", "system").put("content", INSTRUCTIONS);
        messages.addObject()
                .put("role", "user")
                .put(
                        "content",
                        "Repository `" + name + "`.\n\nFacts computed from its files:\n" + overview
                                + (readme.isBlank()
                                        ? ""
                                        : "\nThe start of its README:\n\n"
                                                + readme.substring(0, Math.min(readme.length(), README_CHARS))));
        try {
            String text = gateway.complete(
                            new CallContext(
                                    "system", "system", workspace, null, "indexer", PURPOSE, null, level, "indexer"),
                            new ChatRequest(messages, null, null, false, 400, null, false))
                    .content()
                    .strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (GatewayException e) {
            LOG.infof("no model-written summary for %s/%s: %s", workspace, name, e.getMessage());
            return Optional.empty();
        }
    }
}
