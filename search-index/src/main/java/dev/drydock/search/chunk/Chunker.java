package dev.drydock.search.chunk;

import dev.drydock.search.ingest.Languages;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Cuts a file into chunks along its declarations: a declaration that fits in {@link #maxLines}
 * stays whole, small siblings are packed together up to {@link #targetLines}, larger ones are cut
 * along their members, and anything without structure falls back to line windows.
 *
 * @param targetLines size to pack small sibling declarations up to
 * @param maxLines largest declaration kept as one chunk
 */
public record Chunker(int targetLines, int maxLines) {

    public static Chunker defaults() {
        return new Chunker(60, 120);
    }

    public ParsedFile parse(String language, String text) {
        String[] lines = text.split("\n", -1);
        int lineCount = lines.length;
        if (lineCount > 0 && lines[lineCount - 1].isEmpty()) {
            lineCount--;
        }
        if (lineCount == 0) {
            return new ParsedFile(List.of(), List.of(), List.of());
        }
        Scope root;
        if (Languages.isBraceLanguage(language)) {
            root = BraceParser.parse(text, lineCount);
        } else if (language.equals("python")) {
            root = IndentParser.parse(java.util.Arrays.copyOf(lines, lineCount));
        } else {
            root = new Scope("", Scope.Kind.FILE, 1, lineCount);
        }
        root.endLine = lineCount;
        List<Chunk> chunks = new ArrayList<>();
        emit(root, "", lines, chunks);
        List<String> types = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        outline(root, types, functions);
        return new ParsedFile(chunks, types, functions);
    }

    private static void outline(Scope scope, List<String> types, List<String> functions) {
        if (scope.kind == Scope.Kind.TYPE) {
            types.add(scope.name);
        } else if (scope.kind == Scope.Kind.FUNCTION) {
            functions.add(scope.name);
        }
        for (Scope child : scope.children) {
            outline(child, types, functions);
        }
    }

    /** Emits chunks for {@code scope}, whose own symbol path is {@code path}. */
    private void emit(Scope scope, String path, String[] lines, List<Chunk> out) {
        int span = scope.endLine - scope.startLine + 1;
        if (scope.kind != Scope.Kind.FILE && span <= maxLines) {
            List<String> names = new ArrayList<>();
            scope.collectNames(names);
            add(out, lines, scope.startLine, scope.endLine, path, names);
            return;
        }
        // Pack the pieces (gaps and members) in order.
        Pack pack = new Pack(path);
        int cursor = scope.startLine;
        for (Scope child : scope.children) {
            if (child.startLine < cursor || child.endLine > scope.endLine) {
                continue; // overlapping or malformed: its lines are covered by gaps
            }
            if (child.startLine > cursor) {
                pack.gap(cursor, child.startLine - 1, lines, out);
            }
            String childPath = path.isEmpty() ? child.name : path + "." + child.name;
            int childSpan = child.endLine - child.startLine + 1;
            if (childSpan > maxLines) {
                pack.flush(lines, out);
                emit(child, childPath, lines, out);
            } else {
                List<String> names = new ArrayList<>();
                child.collectNames(names);
                pack.member(child.startLine, child.endLine, childPath, names, lines, out);
            }
            cursor = child.endLine + 1;
        }
        if (cursor <= scope.endLine) {
            pack.gap(cursor, scope.endLine, lines, out);
        }
        pack.flush(lines, out);
    }

    /** Accumulates consecutive pieces into one chunk up to the target size. */
    private final class Pack {
        private final String parentPath;
        private int start = -1;
        private int end = -1;
        private int members;
        private String memberPath = "";
        private final List<String> names = new ArrayList<>();

        Pack(String parentPath) {
            this.parentPath = parentPath;
        }

        void gap(int from, int to, String[] lines, List<Chunk> out) {
            int a = from;
            while (a <= to && lines[a - 1].isBlank()) {
                a++;
            }
            if (a > to) {
                return;
            }
            if (to - a + 1 > targetLines) {
                flush(lines, out);
                for (int w = a; w <= to; w += targetLines) {
                    add(out, lines, w, Math.min(to, w + targetLines - 1), parentPath, List.of());
                }
                return;
            }
            piece(a, to, null, List.of(), lines, out);
        }

        void member(int from, int to, String path, List<String> defined, String[] lines, List<Chunk> out) {
            piece(from, to, path, defined, lines, out);
        }

        private void piece(
                int from, int to, @Nullable String path, List<String> defined, String[] lines, List<Chunk> out) {
            if (start >= 0 && to - start + 1 > targetLines) {
                flush(lines, out);
            }
            if (start < 0) {
                start = from;
            }
            end = to;
            if (path != null) {
                members++;
                memberPath = path;
            }
            names.addAll(defined);
        }

        void flush(String[] lines, List<Chunk> out) {
            if (start >= 0) {
                add(out, lines, start, end, members == 1 ? memberPath : parentPath, names);
            }
            start = -1;
            end = -1;
            members = 0;
            memberPath = "";
            names.clear();
        }
    }

    private void add(List<Chunk> out, String[] lines, int from, int to, String symbol, List<String> defined) {
        while (from < to && lines[from - 1].isBlank()) {
            from++;
        }
        while (to > from && lines[to - 1].isBlank()) {
            to--;
        }
        if (to - from + 1 > maxLines) {
            for (int w = from; w <= to; w += targetLines) {
                add(out, lines, w, Math.min(to, w + targetLines - 1), symbol, w == from ? defined : List.of());
            }
            return;
        }
        StringBuilder text = new StringBuilder();
        for (int l = from; l <= to; l++) {
            text.append(lines[l - 1]).append('\n');
        }
        if (!text.toString().isBlank()) {
            out.add(new Chunk(from, to, symbol, defined, text.toString()));
        }
    }
}
