package dev.drydock.server.persistence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import org.jspecify.annotations.Nullable;

/**
 * Column values of a native query's row ({@code Object[]} from {@code Query.getResultList()}) as the
 * Java types the server uses. Hibernate hands out a {@code timestamptz} as an {@link Instant}, an
 * {@link OffsetDateTime} or a JDBC timestamp depending on its settings; callers need not know which.
 */
public final class Columns {
    private Columns() {}

    /** A non-null {@code timestamptz}. */
    public static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case LocalDateTime l -> l.atZone(ZoneId.systemDefault()).toInstant();
            case Date d -> d.toInstant();
            default ->
                throw new IllegalArgumentException(
                        "not a timestamp: " + value.getClass().getName());
        };
    }

    /** A nullable {@code timestamptz}. */
    public static @Nullable Instant instantOrNull(@Nullable Object value) {
        return value == null ? null : instant(value);
    }

    /** A non-null integer column of any width. */
    public static long longValue(Object value) {
        return ((Number) value).longValue();
    }

    /** A nullable text column. */
    public static @Nullable String string(@Nullable Object value) {
        return value == null ? null : value.toString();
    }
}
