/**
 * MCP tool servers (issue #19): servers a drydock-admin registers (Streamable HTTP reached from the
 * server through the egress guard, or a stdio command run inside each session's sandbox), the tools
 * they list with the risk class an admin set per tool, and those tools as droid tools that go through
 * approvals, taint guarding and the audit trail like built-in ones.
 */
@NullMarked
package dev.drydock.server.mcp;

import org.jspecify.annotations.NullMarked;
