/** The platform team's installer, {@code ./drydock install}: offline checks of a signed air-gap bundle. */
@NullMarked
package dev.drydock.installer;

import org.jspecify.annotations.NullMarked;
