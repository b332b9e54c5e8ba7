/** RFC 9457 problem+json: the one shape of every API error. */
@NullMarked
package dev.drydock.server.problem;

import org.jspecify.annotations.NullMarked;
