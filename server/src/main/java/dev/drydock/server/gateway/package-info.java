/** The model gateway: CDI wiring of the plain-Java core to configuration, PostgreSQL and the REST layer. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway;
