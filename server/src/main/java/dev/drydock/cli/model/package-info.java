/** {@code ./drydock model …}: probing model endpoints like the gateway will, without the server. */
@org.jspecify.annotations.NullMarked
package dev.drydock.cli.model;
