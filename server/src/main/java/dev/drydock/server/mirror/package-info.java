/**
 * Build environments as policy (issue #18): package mirrors a drydock-admin declares, the ones each
 * workspace's sandboxes may reach (with the secret setup steps authenticate with), and setup commands
 * registered per repository.
 */
@NullMarked
package dev.drydock.server.mirror;

import org.jspecify.annotations.NullMarked;
