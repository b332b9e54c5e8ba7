package dev.drydock.installer.command;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.bundle.BundleFiles;
import dev.drydock.installer.bundle.BundleKeys;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.bundle.BundleRejectedException;
import dev.drydock.installer.bundle.BundleVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./drydock install extract BUNDLE --key PUB --out DIR}: verify, then unpack (each file checked again). */
@Command(
        name = "extract",
        description =
                "Verify the bundle, then unpack it into an empty folder, checking every file against the verified manifest again (the chart, values-images.yaml, realm and model for helm and Keycloak).")
public final class ExtractCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle tar.")
    Path bundle;

    @Option(names = "--key", required = true, paramLabel = "PUB", description = "The publisher's public key.")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "An empty or new folder.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (Files.exists(out) && (!Files.isDirectory(out) || hasEntries(out))) {
            err.println("drydock install extract: " + out + " must be an empty or new folder");
            return InstallerMain.USAGE;
        }
        Files.createDirectories(out);
        try {
            BundleManifest manifest =
                    BundleVerifier.verify(bundle, BundleKeys.readPublic(key)).manifest();
            int files = BundleFiles.extract(bundle, manifest, "", out);
            spec.commandLine()
                    .getOut()
                    .println("extracted " + files + " verified files to " + out + "; chart: "
                            + out.resolve(manifest.chart().file()));
            return InstallerMain.OK;
        } catch (BundleRejectedException e) {
            err.println("drydock install extract: REJECTED " + e.getMessage() + " (delete " + out + ")");
            return InstallerMain.REJECTED;
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }
}
