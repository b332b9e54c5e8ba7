/** The {@code index}, {@code search} and {@code bench} commands over the search-index module. */
@NullMarked
package dev.drydock.cli.search;

import org.jspecify.annotations.NullMarked;
