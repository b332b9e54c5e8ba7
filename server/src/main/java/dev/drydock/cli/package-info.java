/** The plain-Java {@code ./drydock} command line: dispatcher, exit codes, user errors. */
@NullMarked
package dev.drydock.cli;

import org.jspecify.annotations.NullMarked;
