package dev.drydock.server.agent.tool;

import java.util.List;

/** Code search over the repositories the session may read. */
public interface CodeSearchPort {
    /** Best hits first, at most {@code limit}. */
    List<Hit> search(String query, int limit);

    /** One search hit: a file, a line range and a snippet. */
    record Hit(String repo, String path, int startLine, int endLine, String snippet) {}
}
