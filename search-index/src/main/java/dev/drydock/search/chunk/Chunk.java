package dev.drydock.search.chunk;

import java.util.List;

/**
 * A contiguous piece of one file.
 *
 * @param startLine first line, 1-based
 * @param endLine last line, inclusive
 * @param symbol the enclosing symbol path, e.g. {@code Outer.Inner.method} (empty at file level)
 * @param defines the symbols whose declaration lies in this chunk
 * @param text the lines of the chunk
 */
public record Chunk(int startLine, int endLine, String symbol, List<String> defines, String text) {
    public Chunk {
        defines = List.copyOf(defines);
    }
}
