/** {@code ./drydock audit}: verify and export the audit chain. */
package dev.drydock.cli.audit;
