package dev.drydock.server.agent;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list whose {@link #plus} and {@link #with} return a new list that shares all but one
 * path of its 32-way tree with this one: an append or a replacement copies at most one array per
 * level (log<sub>32</sub> of the size), never the whole list. {@link SessionState} keeps its tool calls
 * in one, so a snapshot per step costs the same however many calls the session made.
 */
public final class PersistentList<T> extends AbstractList<T> implements RandomAccess {
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final PersistentList<Object> EMPTY = new PersistentList<>(new Object[0], 0, 0);

    /** Inner nodes hold {@code Object[]} children; the leaves (level 0) hold the items. */
    private final Object[] root;

    private final int shift;
    private final int size;

    private PersistentList(Object[] root, int shift, int size) {
        this.root = root;
        this.shift = shift;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <T> PersistentList<T> empty() {
        return (PersistentList<T>) EMPTY;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Objects.checkIndex(index, size);
        return (T) leaf(index)[index & MASK];
    }

    @Override
    public int size() {
        return size;
    }

    /** This list with {@code item} appended. */
    public PersistentList<T> plus(T item) {
        if (size == 0) {
            return new PersistentList<>(new Object[] {item}, 0, 1);
        }
        if (size == 1 << (shift + BITS)) {
            return new PersistentList<>(new Object[] {root, path(shift, item)}, shift + BITS, size + 1);
        }
        return new PersistentList<>(append(root, shift, size, item), shift, size + 1);
    }

    /** This list with the item at {@code index} replaced. */
    public PersistentList<T> with(int index, T item) {
        Objects.checkIndex(index, size);
        return new PersistentList<>(replace(root, shift, index, item), shift, size);
    }

    /** Leaf arrays of {@code after} that {@code before} does not share: what taking {@code after} from {@code before} wrote. */
    static int leavesNotShared(PersistentList<?> before, PersistentList<?> after) {
        int copied = 0;
        for (int i = 0; i < after.size; i += 1 << BITS) {
            if (i >= before.size || before.leaf(i) != after.leaf(i)) {
                copied++;
            }
        }
        return copied;
    }

    private Object[] leaf(int index) {
        Object[] node = root;
        for (int level = shift; level > 0; level -= BITS) {
            node = (Object[]) node[(index >>> level) & MASK];
        }
        return node;
    }

    private static Object[] append(Object[] node, int level, int index, Object item) {
        int slot = (index >>> level) & MASK;
        Object[] copy = Arrays.copyOf(node, Math.max(node.length, slot + 1));
        if (level == 0) {
            copy[slot] = item;
        } else {
            copy[slot] = slot < node.length
                    ? append((Object[]) node[slot], level - BITS, index, item)
                    : path(level - BITS, item);
        }
        return copy;
    }

    private static Object[] replace(Object[] node, int level, int index, Object item) {
        int slot = (index >>> level) & MASK;
        Object[] copy = node.clone();
        copy[slot] = level == 0 ? item : replace((Object[]) node[slot], level - BITS, index, item);
        return copy;
    }

    private static Object[] path(int level, Object item) {
        return level == 0 ? new Object[] {item} : new Object[] {path(level - BITS, item)};
    }

    /**
     * {@code list} itself when it is already an immutable list that later changes cannot reach (a
     * {@code PersistentList} or a {@link GrowingList} snapshot), otherwise an immutable copy.
     */
    public static <T> List<T> immutable(List<T> list) {
        if (list instanceof PersistentList<T> || GrowingList.isSnapshot(list)) {
            return list;
        }
        return List.copyOf(list);
    }
}
