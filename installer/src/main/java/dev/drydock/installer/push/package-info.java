/** {@code ./drydock install push}: the images of a verified bundle into an OCI registry, by digest. */
@NullMarked
package dev.drydock.installer.push;

import org.jspecify.annotations.NullMarked;
