/** The Helm binary (pinned, fetched once from the npm registry) and the chart it renders. */
package dev.drydock.installer.helm;
