/**
 * Work arrives: webhooks from the git servers (a review comment on a droid's merge request continues
 * its session, a labelled issue or a member's {@code @drydock <task>} comment starts one, a push to
 * the tracked branch syncs the repository), each authenticated by the vendor's own scheme under the
 * repository's webhook secret, never a Keycloak token; replays and forged signatures are refused and
 * audited.
 */
@NullMarked
package dev.drydock.server.intake;

import org.jspecify.annotations.NullMarked;
