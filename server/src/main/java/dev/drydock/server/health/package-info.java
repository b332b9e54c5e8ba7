/** Readiness checks beyond the datasource: identity provider reachability. */
@NullMarked
package dev.drydock.server.health;

import org.jspecify.annotations.NullMarked;
