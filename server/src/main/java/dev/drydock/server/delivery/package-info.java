/**
 * Delivery: a droid's agent branch leaves the server's mirror for the repository's git server
 * (pushed by the server with a credential no model or sandbox sees, only to {@code drydock/*}
 * branches) and becomes a merge or pull request opened through the git server's API.
 */
@NullMarked
package dev.drydock.server.delivery;

import org.jspecify.annotations.NullMarked;
