/** {@code ./drydock repo add|list|sync}: a workspace's repositories on a signed-in server. */
@NullMarked
package dev.drydock.cli.repo;

import org.jspecify.annotations.NullMarked;
