/** The picocli commands of {@code ./drydock install}, one class each. */
@NullMarked
package dev.drydock.installer.command;

import org.jspecify.annotations.NullMarked;
