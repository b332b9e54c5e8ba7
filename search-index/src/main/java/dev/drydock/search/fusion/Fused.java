package dev.drydock.search.fusion;

/** An item with its fused score. */
public record Fused<K>(K item, double score) {}
