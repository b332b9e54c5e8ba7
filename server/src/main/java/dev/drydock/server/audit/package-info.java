/** The hash-chained, append-only audit log: sealing, storing, verifying and exporting records. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.audit;
