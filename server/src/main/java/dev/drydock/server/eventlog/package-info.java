/** Persistence and streaming of session events: the JSON codec, the PostgreSQL log, SSE. */
@NullMarked
package dev.drydock.server.eventlog;

import org.jspecify.annotations.NullMarked;
