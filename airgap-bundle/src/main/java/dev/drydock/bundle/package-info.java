/**
 * The air-gap bundle builder, {@code ./drydock bundle}: one signed, deterministic tar with the chart,
 * the images the rendered chart uses, the Keycloak realm and the embedding model.
 */
@NullMarked
package dev.drydock.bundle;

import org.jspecify.annotations.NullMarked;
