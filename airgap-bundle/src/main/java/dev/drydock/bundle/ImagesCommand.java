package dev.drydock.bundle;

import dev.drydock.bundle.image.BaseImage;
import dev.drydock.bundle.image.DrydockImages;
import dev.drydock.bundle.image.ImageBuilder;
import dev.drydock.bundle.image.ImageRecipe;
import dev.drydock.bundle.image.ImageSbom;
import dev.drydock.bundle.image.KeycloakDist;
import dev.drydock.bundle.image.Runtimes;
import dev.drydock.installer.helm.HelmBinary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./drydock bundle images --out DIR --server-base REF --sandbox-base REF …}. */
@Command(
        name = "images",
        description =
                "Build the server and sandbox images (and the evaluation install's PostgreSQL and Keycloak) with Jib (no container engine) as OCI layouts, each with a CycloneDX SBOM.")
final class ImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Writes DIR/images/<repository>/ (OCI layouts) and DIR/sbom/<repository>.cdx.json.")
    Path out;

    @Option(
            names = "--server-base",
            paramLabel = "REF",
            description =
                    "Base of the server image: oci:DIR[:TAG] or a registry reference (docker://HOST/REPO@sha256:…).")
    String serverBase;

    @Option(
            names = "--sandbox-base",
            paramLabel = "REF",
            description =
                    "Base of the sandbox image (needs git, bash, coreutils, Python, Node: see airgap-bundle/bases/debian-base.sh).")
    String sandboxBase;

    @Option(
            names = "--postgres-base",
            paramLabel = "REF",
            description =
                    "Evaluation install only: base of drydock/postgres, carrying Debian's postgresql and libnss-wrapper packages (debian-base.sh --include postgresql,libnss-wrapper).")
    String postgresBase;

    @Option(
            names = "--keycloak-base",
            paramLabel = "REF",
            description =
                    "Evaluation install only: base of drydock/keycloak (a glibc userland with bash, e.g. the server's base).")
    String keycloakBase;

    @Option(
            names = "--keycloak-dist",
            paramLabel = "ZIP",
            description =
                    "org.keycloak:keycloak-quarkus-dist zip (default: the keycloak.version of pom.xml in the local Maven repository, as ./drydock up fetches it).")
    Path keycloakDist;

    @Option(
            names = "--realm",
            paramLabel = "FILE",
            description =
                    "The realm the Keycloak image imports at its first start (default: the server's drydock-realm.json).")
    Path realm;

    @Option(
            names = "--insecure-base",
            description = "Allow plain HTTP to the base images' registry (a registry on loopback).")
    boolean insecureBase;

    @Option(
            names = "--quarkus-app",
            paramLabel = "DIR",
            description = "The packaged server (default: server/target/quarkus-app of the checkout).")
    Path quarkusApp;

    @Option(
            names = "--runner",
            paramLabel = "JAR",
            description =
                    "The tool runner: the sandbox-manager jar (default: sandbox-manager/target/sandbox-manager-<version>.jar).")
    Path runner;

    @Option(
            names = "--jdk",
            paramLabel = "DIR",
            description =
                    "JDK linked into the server's runtime and copied whole into the sandbox (default: the JDK running this command).")
    Path jdk;

    @Option(
            names = "--maven",
            paramLabel = "DIR",
            description =
                    "Maven home copied into the sandbox (default: MAVEN_HOME, else the Maven wrapper's distribution).")
    Path maven;

    @Option(
            names = "--site-layer",
            paramLabel = "DIR",
            description =
                    "A folder copied onto / of the sandbox as its top layer: mirror settings, CA files, extra toolchains (docs/install.md).")
    Path siteLayer;

    @Option(
            names = "--version",
            paramLabel = "TAG",
            defaultValue = "0.1.0-SNAPSHOT",
            description = "Tag written into the layouts (the chart pins digests).")
    String version;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (serverBase == null && sandboxBase == null && postgresBase == null && keycloakBase == null) {
            err.println(
                    "drydock bundle images: give --server-base REF and/or --sandbox-base REF (oci:DIR[:TAG] or a registry reference), and for the evaluation install --postgres-base REF and --keycloak-base REF");
            return BundleMain.USAGE;
        }
        Path root = Path.of(System.getenv().getOrDefault("DRYDOCK_ROOT", "."));
        Path cache = HelmBinary.cacheDir().resolve("images");
        Path javaHome = jdk != null ? jdk : Path.of(System.getProperty("java.home"));
        ImageBuilder builder = new ImageBuilder(cache);
        List<String> imageArgs = new ArrayList<>();
        if (serverBase != null) {
            Path app = quarkusApp != null ? quarkusApp : root.resolve("server/target/quarkus-app");
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                throw new IllegalArgumentException(app
                        + " holds no quarkus-run.jar: build the server first (./drydock build) or give --quarkus-app");
            }
            Path jre = Runtimes.jlink(javaHome, DrydockImages.SERVER_MODULES, cache);
            imageArgs.add(build(
                    builder, DrydockImages.server(version, BaseImage.parse(serverBase, insecureBase), jre, app), o));
        }
        if (sandboxBase != null) {
            Path jar = runner != null
                    ? runner
                    : root.resolve("sandbox-manager/target/sandbox-manager-" + version + ".jar");
            if (!Files.exists(jar)) {
                throw new IllegalArgumentException(
                        jar + " does not exist: build sandbox-manager first (./drydock build) or give --runner");
            }
            ImageRecipe recipe = DrydockImages.sandbox(
                    version,
                    BaseImage.parse(sandboxBase, insecureBase),
                    javaHome,
                    Optional.ofNullable(maven).or(Runtimes::defaultMaven),
                    jar,
                    Optional.ofNullable(siteLayer));
            imageArgs.add(build(builder, recipe, o));
        }
        if (postgresBase != null) {
            imageArgs.add(
                    build(builder, DrydockImages.postgres(version, BaseImage.parse(postgresBase, insecureBase)), o));
        }
        if (keycloakBase != null) {
            Path zip = keycloakDist != null ? keycloakDist : defaultKeycloakDist(root);
            if (!Files.isRegularFile(zip)) {
                throw new IllegalArgumentException(
                        zip
                                + " does not exist: run ./drydock up once (it fetches Keycloak through Maven) or give --keycloak-dist");
            }
            Path realmFile = realm != null ? realm : root.resolve("server/src/main/resources/realm/drydock-realm.json");
            Path jre = Runtimes.jlink(javaHome, DrydockImages.SERVER_MODULES, cache);
            Path home = KeycloakDist.prepare(zip, realmFile, jre, cache);
            imageArgs.add(build(
                    builder,
                    DrydockImages.keycloak(version, BaseImage.parse(keycloakBase, insecureBase), jre, home),
                    o));
        }
        o.println("next: ./drydock bundle build --out drydock-bundle.tar --key KEY " + String.join(" ", imageArgs)
                + " --model-jar …");
        return BundleMain.OK;
    }

    private String build(ImageBuilder builder, ImageRecipe recipe, PrintWriter o)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        String name = recipe.repository().replace('/', '_');
        Path layout = out.resolve("images").resolve(name);
        ImageBuilder.Built built = builder.build(recipe, layout);
        Path sbom = out.resolve("sbom").resolve(name + ".cdx.json");
        int components =
                ImageSbom.write(built, recipe.tag(), sbom).path("components").size();
        o.printf(
                "built %s@%s in %.1f s: %s (%d MB of blobs), SBOM %s (%d components)%n",
                recipe.repository(),
                built.digest(),
                (System.nanoTime() - start) / 1e9,
                layout,
                size(layout) / 1_000_000,
                sbom,
                components);
        return "--image " + recipe.repository() + "=" + layout + " --sbom " + sbom;
    }

    /** The Keycloak distribution of the checkout's keycloak.version in the local Maven repository. */
    static Path defaultKeycloakDist(Path root) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalArgumentException(
                    "no keycloak.version in " + root.resolve("pom.xml") + ": give --keycloak-dist");
        }
        String v = m.group(1);
        return Path.of(
                System.getProperty("user.home"),
                ".m2/repository/org/keycloak/keycloak-quarkus-dist",
                v,
                "keycloak-quarkus-dist-" + v + ".zip");
    }

    private static long size(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
