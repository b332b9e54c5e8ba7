/** {@code ./drydock install preflight}: read-only checks of a cluster before Drydock is installed, one class per check. */
@NullMarked
package dev.drydock.installer.preflight;

import org.jspecify.annotations.NullMarked;
