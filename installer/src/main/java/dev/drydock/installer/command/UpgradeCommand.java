package dev.drydock.installer.command;

import dev.drydock.installer.release.HelmRelease;
import picocli.CommandLine.Command;

/** {@code ./drydock install upgrade}: helm upgrade with your values; a redacted support bundle when it fails. */
@Command(
        name = "upgrade",
        description =
                "helm upgrade the chart of an extracted bundle with your values, wait until it is ready; on failure write a redacted support bundle.")
public final class UpgradeCommand extends ReleaseCommand {
    public UpgradeCommand() {
        super(HelmRelease.Verb.UPGRADE);
    }
}
