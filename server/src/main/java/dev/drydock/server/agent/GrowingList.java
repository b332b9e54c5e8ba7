package dev.drydock.server.agent;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A list that is only appended to, whose {@link #snapshot} is an immutable view of what it holds at
 * that moment, taken without copying: the backing array is never written below its size again, and
 * when it grows, the old array stays with the views that hold it. Not thread-safe for appends.
 */
public final class GrowingList<T> {
    private Object[] items = new Object[64];
    private int size;

    public void add(T item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = item;
    }

    public int size() {
        return size;
    }

    /** The items so far, as an immutable list that later appends do not change. */
    public List<T> snapshot() {
        return new Prefix<>(items, size);
    }

    /** Whether {@code list} is a {@link #snapshot}, which nothing can change. */
    public static boolean isSnapshot(List<?> list) {
        return list instanceof Prefix<?>;
    }

    private static final class Prefix<T> extends AbstractList<T> implements RandomAccess {
        private final Object[] items;
        private final int size;

        Prefix(Object[] items, int size) {
            this.items = items;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get(int index) {
            Objects.checkIndex(index, size);
            return (T) items[index];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
