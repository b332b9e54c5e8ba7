/**
 * Webhooks out: a workspace's receivers of session, approval and merge-request events, signed with
 * HMAC-SHA256 under a workspace secret, delivered from a durable queue in PostgreSQL with retries and
 * a delivery log. Receivers are reached only through the egress allow-list.
 */
@NullMarked
package dev.drydock.server.webhook;

import org.jspecify.annotations.NullMarked;
