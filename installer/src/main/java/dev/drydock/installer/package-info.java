/** The platform team's installer, {@code ./drydock install}: offline checks of a signed air-gap bundle. */
package dev.drydock.installer;
