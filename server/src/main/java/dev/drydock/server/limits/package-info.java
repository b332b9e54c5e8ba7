/** Limits on what one request may carry, on every endpoint: body size, JSON nesting depth and string length. */
@NullMarked
package dev.drydock.server.limits;

import org.jspecify.annotations.NullMarked;
