/**
 * The droid runtime's core: the loop, the session state fold and the ports it needs. Pure Java: no
 * Quarkus, JAX-RS, JPA or Jackson.
 */
@NullMarked
package dev.drydock.server.agent;

import org.jspecify.annotations.NullMarked;
