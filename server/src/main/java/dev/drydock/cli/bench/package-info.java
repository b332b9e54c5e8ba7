/**
 * {@code ./drydock bench …}: the benchmarks (retrieval quality and query sets, embedding throughput,
 * the gateway's overhead, concurrent droid sessions and the loop's per-step cost). Kept apart from
 * the feature commands: only {@code DrydockCli} registers them, and nothing else depends on them
 * (ArchitectureTest). See docs/adr/0014-cli-home.md.
 */
@NullMarked
package dev.drydock.cli.bench;

import org.jspecify.annotations.NullMarked;
