/**
 * Work arrives from tickets: a workspace's Jira Data Center connection and GitLab issues of its
 * repositories; a session starts from a ticket key or URL with the ticket's summary as its task and
 * its description, comments and text attachments as untrusted attachments, and its outcome is written
 * back on the ticket as a comment.
 */
@NullMarked
package dev.drydock.server.ticket;

import org.jspecify.annotations.NullMarked;
