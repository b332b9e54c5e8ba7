/** Admin REST API for model endpoints, routes, budgets and egress refusals, persisted in PostgreSQL. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.admin;
