/**
 * Confined file access to a workspace directory on the side that holds it (the server for the local
 * backend, the tool runner in a pod). Symbolic links are never followed. JDK only, so the tool runner
 * can use it.
 */
@NullMarked
package dev.drydock.sandbox.workspace;

import org.jspecify.annotations.NullMarked;
