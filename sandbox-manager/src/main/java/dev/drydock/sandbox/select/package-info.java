/** Chooses the sandbox backend named by configuration. */
@NullMarked
package dev.drydock.sandbox.select;

import org.jspecify.annotations.NullMarked;
