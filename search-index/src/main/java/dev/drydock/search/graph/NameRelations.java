package dev.drydock.search.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Files related by their names alone, for any language: a namesake (the same file name in another
 * folder, such as the servlet and the reactive {@code ResourceHandlerUtils.java}) or a sibling (two
 * names that share their leading or trailing words: {@code ServletRequestDataBinder.java} and
 * {@code ExtendedServletRequestDataBinder.java}). Parallel implementations and variants of one
 * type tend to change together; in a git repository co-change shows this, in a plain folder or a
 * sources jar the names are what is left of it.
 */
public final class NameRelations {
    /** A file name held by more files than this ({@code package-info.java}, {@code index.ts}) relates nothing. */
    public static final int MAX_NAMESAKES = 3;
    /** Siblings are looked for among this many of the head's first files. */
    public static final int SIBLING_SEEDS = 3;

    private NameRelations() {}

    /** The last segment of a file key ({@code repo + '\0' + path}) or of a path. */
    public static String fileName(String key) {
        return key.substring(Math.max(key.lastIndexOf('/'), key.indexOf('\0')) + 1);
    }

    /**
     * True when {@code candidate} is a namesake of a file in {@code head} (its name held by at most
     * {@value #MAX_NAMESAKES} files, {@code filesNamed} counting) or a sibling of one of the head's
     * first {@value #SIBLING_SEEDS} files.
     */
    public static boolean related(String candidate, List<String> head, ToIntFunction<String> filesNamed) {
        String name = fileName(candidate);
        boolean rareName = filesNamed.applyAsInt(name) <= MAX_NAMESAKES;
        for (int i = 0; i < head.size(); i++) {
            String other = head.get(i);
            if (other.equals(candidate)) {
                continue;
            }
            if (rareName && fileName(other).equals(name)) {
                return true;
            }
            if (i < SIBLING_SEEDS && siblings(fileName(other), name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Two different file names with the same extension whose words (CamelCase, snake_case or
     * kebab-case parts of the name without extension) share a run of at least two leading or two
     * trailing words that covers at least half of the longer name.
     */
    static boolean siblings(String a, String b) {
        if (a.equals(b) || !extension(a).equals(extension(b))) {
            return false;
        }
        List<String> wa = words(a);
        List<String> wb = words(b);
        if (wa.size() < 2 || wb.size() < 2) {
            return false;
        }
        int shortest = Math.min(wa.size(), wb.size());
        int leading = 0;
        while (leading < shortest && wa.get(leading).equals(wb.get(leading))) {
            leading++;
        }
        int trailing = 0;
        while (trailing < shortest && wa.get(wa.size() - 1 - trailing).equals(wb.get(wb.size() - 1 - trailing))) {
            trailing++;
        }
        int shared = Math.max(leading, trailing);
        return shared >= 2 && shared * 2 >= Math.max(wa.size(), wb.size());
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    /** {@code ExtendedServletRequestDataBinder.java} → extended, servlet, request, data, binder. */
    static List<String> words(String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot <= 0 ? name : name.substring(0, dot);
        List<String> out = new ArrayList<>();
        for (String part : stem.split("[_\\-.]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) {
            if (!part.isEmpty()) {
                out.add(part.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
