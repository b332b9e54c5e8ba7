package dev.drydock.search.chunk;

import java.util.List;

/**
 * A file cut into chunks, with its outline.
 *
 * @param chunks the chunks, in file order, covering every non-blank line
 * @param types names of the types (classes, interfaces, structs, ...) the file declares
 * @param functions names of the functions and methods the file declares
 */
public record ParsedFile(List<Chunk> chunks, List<String> types, List<String> functions) {
    public ParsedFile {
        chunks = List.copyOf(chunks);
        types = List.copyOf(types);
        functions = List.copyOf(functions);
    }
}
