/** Tools: a {@link dev.drydock.server.agent.tool.ToolSpec} (data) plus one small class each, and the workspace port they use. */
@NullMarked
package dev.drydock.server.agent.tool;

import org.jspecify.annotations.NullMarked;
