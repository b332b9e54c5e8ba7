package dev.drydock.server.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How the portal writes numbers and times for people. */
final class PortalFormat {
    private PortalFormat() {}

    /** A cost in millionths of the currency unit, with four decimals ({@code 0.0070}). */
    static String cost(long micros) {
        return String.format(Locale.ROOT, "%.4f", micros / 1_000_000.0);
    }

    /** How long ago {@code then} was, coarsely ({@code just now}, {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}). */
    static String age(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min ago";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " d ago";
    }
}
