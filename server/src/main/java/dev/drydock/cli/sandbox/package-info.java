/** {@code ./drydock sandbox …}: run one command in a fresh sandbox with the droid policy; benchmark the local backend. */
package dev.drydock.cli.sandbox;
