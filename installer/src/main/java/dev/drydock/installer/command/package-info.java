/** The picocli commands of {@code ./drydock install}, one class each. */
package dev.drydock.installer.command;
