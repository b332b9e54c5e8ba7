package dev.drydock.installer.command;

import dev.drydock.installer.release.HelmRelease;
import picocli.CommandLine.Command;

/** {@code ./drydock install install}: helm install with your values; a redacted support bundle when it fails. */
@Command(
        name = "install",
        description =
                "helm install the chart of an extracted bundle with your values, wait until it is ready; on failure write a redacted support bundle.")
public final class InstallCommand extends ReleaseCommand {
    public InstallCommand() {
        super(HelmRelease.Verb.INSTALL);
    }
}
