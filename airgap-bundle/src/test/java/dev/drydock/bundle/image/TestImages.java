package dev.drydock.bundle.image;

import dev.drydock.installer.helm.HelmBinary;
import dev.drydock.sandbox.runner.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reduced images for tests, built once per JVM: a small Debian base unpacked from twelve packages
 * ({@code debian-base.sh --packages}, cached by its inputs under the Drydock cache), a jlinked runtime
 * instead of the full JDK, no Maven, the real tool runner, and a stand-in for the packaged server.
 */
public final class TestImages {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("airgap-bundle/bases/debian-base.sh");
    static final String PACKAGES =
            "libc6,libgcc-s1,zlib1g,bash,libtinfo6,coreutils,libacl1,libattr1,libgmp10,libselinux1,libpcre2-8-0,base-files";
    static final List<String> RUNTIME_MODULES = List.of("java.base", "java.logging", "jdk.httpserver");
    static final Path CACHE = HelmBinary.cacheDir().resolve("images");

    private static TestImages instance;

    final Path work;
    final BaseImage base;
    final Path runtime;
    final ImageBuilder builder = new ImageBuilder(CACHE);
    final ImageRecipe sandbox;
    final ImageRecipe server;
    public final ImageBuilder.Built sandboxBuilt;
    public final ImageBuilder.Built serverBuilt;

    private TestImages() throws IOException, InterruptedException {
        work = Path.of("target", "images-test").toAbsolutePath();
        ImageBuilder.deleteTree(work);
        Files.createDirectories(work);
        base = new BaseImage.Layout(testBase(), "base");
        runtime = Runtimes.jlink(Path.of(System.getProperty("java.home")), RUNTIME_MODULES, CACHE);
        Path runner = Path.of(ToolRunner.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        sandbox = DrydockImages.sandbox("test", base, runtime, Optional.empty(), runner, Optional.of(siteLayer()));
        server = DrydockImages.server("test", base, runtime, standInServer());
        sandboxBuilt = builder.build(sandbox, work.resolve("images/drydock_sandbox"));
        serverBuilt = builder.build(server, work.resolve("images/drydock_server"));
    }

    private ImageBuilder.@org.jspecify.annotations.Nullable Built postgresBuilt;
    private ImageBuilder.@org.jspecify.annotations.Nullable Built keycloakBuilt;

    /**
     * The evaluation install's images, reduced: PostgreSQL's recipe on the small test base (no PostgreSQL
     * packages in it) and Keycloak's on a stand-in Keycloak home (a kc.sh and the realm, not the
     * distribution, whose build takes a minute). Built once, on first use.
     */
    public synchronized List<ImageBuilder.Built> evaluationImages() throws IOException, InterruptedException {
        if (postgresBuilt == null || keycloakBuilt == null) {
            postgresBuilt =
                    builder.build(DrydockImages.postgres("test", base), work.resolve("images/drydock_postgres"));
            Path home = work.resolve("keycloak-home");
            Files.createDirectories(home.resolve("bin"));
            Files.createDirectories(home.resolve("data/import"));
            Path kc = Files.writeString(home.resolve("bin/kc.sh"), "#!/bin/bash\necho stand-in \"$@\"\n");
            kc.toFile().setExecutable(true, false);
            Files.copy(
                    ROOT.resolve("server/src/main/resources/realm/drydock-realm.json"),
                    home.resolve("data/import/drydock-realm.json"));
            keycloakBuilt = builder.build(
                    DrydockImages.keycloak("test", base, runtime, home), work.resolve("images/drydock_keycloak"));
        }
        return List.of(postgresBuilt, keycloakBuilt);
    }

    public static synchronized TestImages get() throws IOException, InterruptedException {
        if (instance == null) {
            instance = new TestImages();
        }
        return instance;
    }

    /** The test base, built once per script and package list. */
    static Path testBase() throws IOException, InterruptedException {
        String key = Runtimes.sha256(Files.readString(SCRIPT) + PACKAGES).substring(0, 16);
        Path layout = CACHE.resolve("test-base").resolve(key);
        if (!Files.isRegularFile(layout.resolve("index.json"))) {
            Path partial = layout.resolveSibling(key + ".partial");
            ImageBuilder.deleteTree(partial);
            Files.createDirectories(partial.getParent());
            ImageBuilder.run(List.of("bash", SCRIPT.toString(), "--out", partial.toString(), "--packages", PACKAGES));
            Files.move(partial, layout);
        }
        return layout;
    }

    /** A site layer as a platform team writes one: pip and npm pointed at an internal mirror. */
    private Path siteLayer() throws IOException {
        Path site = work.resolve("site");
        Files.createDirectories(site.resolve("etc"));
        Files.writeString(
                site.resolve("etc/pip.conf"),
                "[global]\nindex-url = https://nexus.corp.example/repository/pypi/simple\n");
        Files.createDirectories(site.resolve("usr/etc"));
        Files.writeString(site.resolve("usr/etc/npmrc"), "registry=https://nexus.corp.example/repository/npm/\n");
        return site;
    }

    /** The layout of server/target/quarkus-app, with a runnable quarkus-run.jar that prints a line. */
    private Path standInServer() throws IOException {
        Path app = work.resolve("quarkus-app");
        Files.createDirectories(app.resolve("lib/main"));
        Files.createDirectories(app.resolve("lib/boot"));
        Files.createDirectories(app.resolve("quarkus"));
        Files.createDirectories(app.resolve("app"));
        Files.writeString(app.resolve("quarkus/generated-bytecode.jar"), "stand-in");
        // A real library jar, as Quarkus names them (groupId.artifactId-version.jar): the SBOM must find its
        // coordinates.
        Path library = Path.of(com.fasterxml.jackson.databind.ObjectMapper.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
        Files.copy(
                library,
                app.resolve("lib/main/com.fasterxml.jackson.core.jackson-databind-"
                        + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + ".jar"));
        Files.writeString(app.resolve("quarkus-run.jar"), "stand-in");
        return app;
    }
}
