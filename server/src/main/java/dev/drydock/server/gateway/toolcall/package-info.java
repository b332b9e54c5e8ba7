/** Tolerant parsing of tool calls that models emit as text instead of native tool calls. */
@org.jspecify.annotations.NullMarked
package dev.drydock.server.gateway.toolcall;
