package dev.drydock.installer.command;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.bundle.BundleFiles;
import dev.drydock.installer.bundle.BundleFormat;
import dev.drydock.installer.bundle.BundleKeys;
import dev.drydock.installer.bundle.BundleManifest;
import dev.drydock.installer.bundle.BundleRejectedException;
import dev.drydock.installer.bundle.BundleVerifier;
import dev.drydock.installer.push.ImagePusher;
import dev.drydock.installer.push.RegistryClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./drydock install push BUNDLE --key PUB --registry HOST[:PORT][/PREFIX]}: verify, then push every image by digest. */
@Command(
        name = "push",
        description =
                "Verify the bundle, then push every image in it to a registry through the OCI distribution API, by digest (and its tag).")
public final class PushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle tar.")
    Path bundle;

    @Option(names = "--key", required = true, paramLabel = "PUB", description = "The publisher's public key.")
    Path key;

    @Option(
            names = "--registry",
            required = true,
            paramLabel = "HOST[:PORT][/PREFIX]",
            description =
                    "Target registry, optionally with a path prefix; the same value goes into global.imageRegistry.")
    String registry;

    @Option(names = "--plain-http", description = "Talk http to the registry (a registry on localhost).")
    boolean plainHttp;

    @Option(names = "--username", description = "Registry user (HTTP Basic).")
    String username;

    @Option(
            names = "--password-env",
            paramLabel = "VAR",
            description = "Environment variable holding the registry password.")
    String passwordEnv;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> auth = Optional.empty();
        if (username != null) {
            String password = passwordEnv == null ? null : System.getenv(passwordEnv);
            if (password == null) {
                err.println("drydock install push: --username needs --password-env naming a set environment variable");
                return InstallerMain.USAGE;
            }
            auth = Optional.of(username + ":" + password);
        }
        int slash = registry.indexOf('/');
        String host = slash < 0 ? registry : registry.substring(0, slash);
        String prefix = slash < 0 ? "" : registry.substring(slash + 1).replaceAll("/+$", "") + "/";
        BundleManifest manifest;
        Path work = Files.createTempDirectory("drydock-push-");
        try {
            try {
                manifest = BundleVerifier.verify(bundle, BundleKeys.readPublic(key))
                        .manifest();
                BundleFiles.extract(bundle, manifest, BundleFormat.IMAGES_DIR, work);
            } catch (BundleRejectedException e) {
                err.println("drydock install push: REJECTED " + e.getMessage() + " (nothing pushed)");
                return InstallerMain.REJECTED;
            }
            if (manifest.images().isEmpty()) {
                err.println("drydock install push: the bundle holds no images (built with --without-images)");
                return InstallerMain.REJECTED;
            }
            ImagePusher pusher = new ImagePusher(new RegistryClient(host, plainHttp, auth));
            for (BundleManifest.Image image : manifest.images()) {
                String reference = image.reference();
                int at = reference.indexOf('@');
                String nameAndTag = at < 0 ? reference : reference.substring(0, at);
                int colon = nameAndTag.lastIndexOf(':');
                Optional<String> tag = colon > 0 ? Optional.of(nameAndTag.substring(colon + 1)) : Optional.empty();
                ImagePusher.Pushed p = pusher.push(work.resolve(image.layout()), prefix + image.repository(), tag);
                out.println("pushed " + registry + "/" + image.repository() + "@" + p.digest() + " ("
                        + p.blobsUploaded() + " blobs uploaded, " + p.blobsPresent() + " already there)");
            }
            out.println("install with: --set global.imageRegistry=" + registry + " -f chart/values-images.yaml");
            return InstallerMain.OK;
        } finally {
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
