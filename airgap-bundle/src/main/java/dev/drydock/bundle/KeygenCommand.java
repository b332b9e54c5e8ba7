package dev.drydock.bundle;

import dev.drydock.installer.bundle.BundleKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock bundle keygen --out DIR}. */
@Command(
        name = "keygen",
        description =
                "Create an Ed25519 signing key pair: DIR/drydock-bundle.key (keep it secret) and DIR/drydock-bundle.pub (give it to installers).")
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder for the key pair (created if missing; existing keys are never overwritten).")
    Path out;

    @Override
    public Integer call() throws IOException {
        String fingerprint = BundleKeys.generate(out);
        spec.commandLine()
                .getOut()
                .println("wrote " + out.resolve(BundleKeys.PRIVATE_KEY_FILE) + " (private, mode 600) and "
                        + out.resolve(BundleKeys.PUBLIC_KEY_FILE));
        spec.commandLine().getOut().println("public key sha256 " + fingerprint);
        return BundleMain.OK;
    }
}
