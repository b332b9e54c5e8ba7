/** The gateway core in plain Java: protocol clients, routing, retries, circuit breakers, limits and accounting records. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.core;
