package dev.drydock.search.chunk;

import java.util.ArrayList;
import java.util.List;

/** A named declaration with a line range and nested declarations; the parsers' output. */
final class Scope {
    enum Kind {
        FILE,
        TYPE,
        FUNCTION
    }

    final String name;
    final Kind kind;
    final int startLine;
    int endLine;
    final List<Scope> children = new ArrayList<>();

    Scope(String name, Kind kind, int startLine, int endLine) {
        this.name = name;
        this.kind = kind;
        this.startLine = startLine;
        this.endLine = endLine;
    }

    void collectNames(List<String> out) {
        if (kind != Kind.FILE) {
            out.add(name);
        }
        for (Scope child : children) {
            child.collectNames(out);
        }
    }
}
