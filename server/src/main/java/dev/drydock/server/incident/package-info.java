/**
 * Work arrives from incidents: Alertmanager's webhook (payload version 4) to a workspace's receiver,
 * authenticated by the receiver's bearer token or basic auth (never Keycloak), starts a reliability
 * session on the receiver's repository with the alerts' labels, annotations and runbook as untrusted
 * attachments; its root-cause analysis goes to webhook-out receivers and/or Jira.
 */
@NullMarked
package dev.drydock.server.incident;

import org.jspecify.annotations.NullMarked;
