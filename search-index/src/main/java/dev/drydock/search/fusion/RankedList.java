package dev.drydock.search.fusion;

import java.util.List;

/**
 * One ranking to fuse: items best first, and the weight of this ranking in the fusion.
 *
 * @param name for diagnostics
 * @param weight multiplier of this list's contribution
 * @param items distinct items, best first
 */
public record RankedList<K>(String name, double weight, List<K> items) {
    public RankedList {
        items = List.copyOf(items);
    }
}
