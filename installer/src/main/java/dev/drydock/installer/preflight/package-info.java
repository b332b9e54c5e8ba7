/** {@code ./drydock install preflight}: read-only checks of a cluster before Drydock is installed, one class per check. */
package dev.drydock.installer.preflight;
