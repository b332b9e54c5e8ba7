/** {@code ./drydock audit}: verify and export the audit chain. */
@NullMarked
package dev.drydock.cli.audit;

import org.jspecify.annotations.NullMarked;
