/** Symbol definition/reference graph between files, used for one-hop expansion. */
@NullMarked
package dev.drydock.search.graph;

import org.jspecify.annotations.NullMarked;
