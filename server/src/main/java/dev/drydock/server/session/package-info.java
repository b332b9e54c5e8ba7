/** Droid sessions: the REST API, the SSE stream, the runner that drives loops on virtual threads. */
@NullMarked
package dev.drydock.server.session;

import org.jspecify.annotations.NullMarked;
