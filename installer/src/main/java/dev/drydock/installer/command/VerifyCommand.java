package dev.drydock.installer.command;

import dev.drydock.installer.InstallerMain;
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

/** {@code ./drydock install verify BUNDLE --key PUB}: offline, all-or-nothing check of a bundle. */
@Command(
        name = "verify",
        description =
                "Check a bundle offline against the publisher's public key: signature, every file's SHA-256, no file missing or extra, not one byte changed.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle tar.")
    Path bundle;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "PUB",
            description = "The publisher's public key (drydock-bundle.pub), obtained out of band.")
    Path key;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(bundle)) {
            err.println("drydock install verify: " + bundle + " is not a file");
            return InstallerMain.USAGE;
        }
        if (!Files.isRegularFile(key)) {
            err.println("drydock install verify: key " + key + " is not a file");
            return InstallerMain.USAGE;
        }
        try {
            BundleVerifier.Verification v = BundleVerifier.verify(bundle, BundleKeys.readPublic(key));
            BundleManifest m = v.manifest();
            out.println("bundle " + bundle.getFileName() + ": OK, signed by key " + v.keyFingerprint());
            out.println(
                    "  drydock " + m.drydockVersion() + ", chart " + m.chart().name() + " "
                            + m.chart().version() + ", " + v.files() + " files, " + v.bytes() + " bytes");
            if (m.images().isEmpty()) {
                out.println("  images: none in this bundle (built with --without-images)");
            }
            for (BundleManifest.Image i : m.images()) {
                out.println("  image " + i.reference());
            }
            return InstallerMain.OK;
        } catch (BundleRejectedException e) {
            err.println("drydock install verify: REJECTED " + e.getMessage());
            return InstallerMain.REJECTED;
        }
    }
}
