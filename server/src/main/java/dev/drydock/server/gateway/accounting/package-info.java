/** Accounting of every gateway request in PostgreSQL, and budgets checked against it. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.accounting;
