/** {@code ./drydock install push}: the images of a verified bundle into an OCI registry, by digest. */
package dev.drydock.installer.push;
