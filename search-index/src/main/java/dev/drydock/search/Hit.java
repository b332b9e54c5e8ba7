package dev.drydock.search;

/** A chunk-level search hit. Lines are 1-based and inclusive. */
public record Hit(String repo, String path, int startLine, int endLine, double score, String symbol) {}
