/**
 * A finished session's record read back: its loop replayed offline against the log, every prompt its
 * model saw rebuilt and checked against the gateway's fingerprints, and its egress proof.
 */
@NullMarked
package dev.drydock.server.replay;

import org.jspecify.annotations.NullMarked;
