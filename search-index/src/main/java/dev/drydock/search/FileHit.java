package dev.drydock.search;

/** A file-level search hit: "which files should I open for this task?". */
public record FileHit(String repo, String path, double score) {}
