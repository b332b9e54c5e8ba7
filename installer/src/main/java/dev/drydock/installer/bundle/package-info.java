/**
 * The air-gap bundle format shared by the builder and the installer: one deterministic tar whose
 * signed manifest lists every other file with its SHA-256.
 */
@NullMarked
package dev.drydock.installer.bundle;

import org.jspecify.annotations.NullMarked;
