/** {@code ./drydock sandbox …}: run one command in a fresh sandbox with the droid policy; benchmark the local backend. */
@NullMarked
package dev.drydock.cli.sandbox;

import org.jspecify.annotations.NullMarked;
