package dev.drydock.sandbox;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints human byte sizes: {@code 512}, {@code 64k}, {@code 256m}, {@code 2g}, {@code 1Gi}. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    private ByteSize() {}

    /**
     * Parses a size; suffixes are binary multiples (k = 1024).
     *
     * @throws InvalidSpecException when the text is not a non-negative size
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new InvalidSpecException("invalid size '" + text
                    + "' (expected a non-negative number with optional k, m, g or t suffix, e.g. 512m)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("invalid size '" + text + "': too large");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new InvalidSpecException("invalid size '" + text + "': too large");
        }
        return n << shift;
    }

    /** Formats a size with the largest exact binary suffix, e.g. {@code 256m}. */
    public static String format(long bytes) {
        String[] suffixes = {"", "k", "m", "g", "t"};
        int i = 0;
        long v = bytes;
        while (i < suffixes.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            i++;
        }
        return v + suffixes[i];
    }
}
