/** Readiness checks beyond the datasource: identity provider reachability. */
package dev.drydock.server.health;
