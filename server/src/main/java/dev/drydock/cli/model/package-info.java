/** {@code ./drydock model …} and {@code ./drydock bench gateway}: probing model endpoints and measuring the gateway, without the server. */
@org.jspecify.annotations.NullMarked
package dev.drydock.cli.model;
