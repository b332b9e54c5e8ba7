/**
 * Workspace checkout from the server's local mirror and diff against the base commit, with JGit.
 * The base repository used for diffs lives outside the workspace, so a command cannot tamper with it.
 */
@NullMarked
package dev.drydock.sandbox.git;

import org.jspecify.annotations.NullMarked;
