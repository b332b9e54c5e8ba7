/** Code search API: index sources, then query them with lexical, dense and fused rankings under a repo ACL. */
@NullMarked
package dev.drydock.search;

import org.jspecify.annotations.NullMarked;
