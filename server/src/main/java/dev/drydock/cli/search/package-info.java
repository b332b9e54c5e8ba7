/** The {@code index} and {@code search} commands over the search-index module. */
@NullMarked
package dev.drydock.cli.search;

import org.jspecify.annotations.NullMarked;
