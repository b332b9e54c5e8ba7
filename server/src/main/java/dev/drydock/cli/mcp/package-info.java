/** {@code ./drydock mcp}: MCP tool servers and their tools' risk classes, for drydock-admins. */
@NullMarked
package dev.drydock.cli.mcp;

import org.jspecify.annotations.NullMarked;
