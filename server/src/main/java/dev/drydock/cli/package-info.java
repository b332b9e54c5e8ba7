/** The plain-Java {@code ./drydock} command line: dispatcher, exit codes, user errors. */
package dev.drydock.cli;
