/** RFC 9457 problem+json: the one shape of every API error. */
package dev.drydock.server.problem;
