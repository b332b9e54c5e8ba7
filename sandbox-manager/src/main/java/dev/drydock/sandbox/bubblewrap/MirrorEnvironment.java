package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.MirrorSettings;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.PackageMirror.Kind;
import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Package-manager settings of a local sandbox that may reach mirrors (issue #18), written into its
 * home so the model never writes them: every tool goes through the backend's {@link MirrorProxy} at
 * {@link MirrorProxy#ADDRESS} and uses the chosen mirror as its only repository. Credentials never
 * appear in a file: the setup-only settings ({@code ~/.config/drydock/setup-settings.xml}, {@code
 * setup.npmrc}) name environment variables that only the setup step's environment holds ({@link
 * #setupEnv}).
 *
 * <ul>
 *   <li>Maven ({@code maven}): {@code settings.xml} with the mirror as {@code mirrorOf *} and the proxy;
 *       warm caches as {@code maven.repo.local.tail} in {@code .mavenrc};
 *   <li>Gradle ({@code gradle} plugin portal mirror, {@code maven} for dependencies): {@code
 *       gradle.properties} with the proxy and an init script replacing the repositories;
 *   <li>npm: {@code .npmrc} with {@code registry}, the proxy and {@code prefer-offline}; a warm cache as
 *       its {@code cache};
 *   <li>PyPI: {@code pip.conf} with {@code index-url} and the proxy; Go: {@code GOPROXY}, {@code
 *       GOSUMDB=off}; Debian: {@code http_proxy} (apt honours it).
 * </ul>
 */
final class MirrorEnvironment {
    static final String SETUP_DIR = ".config/drydock";
    private static final String HOME = BuildEnvironment.HOME;
    /** The in-sandbox forwarder every tool is pointed at ({@link MirrorProxy#ADDRESS} without its scheme). */
    private static final String PROXY = MirrorProxy.ADDRESS.substring("http://".length());

    private MirrorEnvironment() {}

    /** The variables every command of the sandbox gets (no credential). */
    static Map<String, String> env(List<PackageMirror> mirrors, List<DependencyCaches.Cache> caches) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")) {
            env.put(k, MirrorProxy.ADDRESS);
        }
        env.putAll(MirrorSettings.toolEnv(mirrors));
        caches.stream()
                .filter(c -> c.warm() && c.tool() == DependencyCaches.Tool.GO)
                .findFirst()
                // the warm download cache is a GOPROXY: asked first, the mirror only for what it lacks
                .ifPresent(c -> env.computeIfPresent(
                        "GOPROXY", (k, v) -> "file://" + c.tool().mount() + "," + v));
        return env;
    }

    /** Writes the settings into the home (after {@link BuildEnvironment#prepare}, replacing its Maven, npm and pip files). */
    static void write(
            Path home,
            List<PackageMirror> mirrors,
            List<DependencyCaches.Cache> caches,
            Map<String, String> secretEnv) {
        Optional<PackageMirror> maven = first(mirrors, Kind.MAVEN);
        Optional<PackageMirror> npm = first(mirrors, Kind.NPM);
        try {
            Files.createDirectories(home.resolve(SETUP_DIR));
            if (maven.isPresent()) {
                Files.writeString(home.resolve(".m2/settings.xml"), mavenSettings(maven.get(), false));
                if (secretEnv.containsKey(maven.get().secretVariable())) {
                    Files.writeString(
                            home.resolve(SETUP_DIR + "/setup-settings.xml"), mavenSettings(maven.get(), true));
                }
                List<String> tails = caches.stream()
                        .filter(c -> c.warm() && c.tool() == DependencyCaches.Tool.MAVEN)
                        .map(c -> c.tool().mount())
                        .toList();
                if (!tails.isEmpty()) {
                    Files.writeString(
                            home.resolve(".mavenrc"),
                            "MAVEN_OPTS=\"${MAVEN_OPTS:-} -Dmaven.repo.local.tail=" + String.join(",", tails) + "\"\n",
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
            }
            if (npm.isPresent()) {
                Optional<DependencyCaches.Cache> warm = caches.stream()
                        .filter(c -> c.warm() && c.tool() == DependencyCaches.Tool.NPM)
                        .findFirst();
                String npmrc = MirrorSettings.npmrc(
                        npm.get(),
                        PROXY,
                        "logs-dir=" + HOME + "/.npm/_logs\n"
                                // a warm cache is complete for the lock file it was filled for: npm must not ask the
                                // mirror (nor write the read-only cache)
                                + warm.map(c -> "cache=" + c.tool().mount() + "\noffline=true\n")
                                        .orElse("prefer-offline=true\n"));
                Files.writeString(home.resolve(".npmrc"), npmrc);
                String credential = secretEnv.get(npm.get().secretVariable());
                if (credential != null) {
                    Files.writeString(
                            home.resolve(SETUP_DIR + "/setup.npmrc"),
                            npmrc + MirrorSettings.npmAuthLine(npm.get(), credential));
                }
            }
            Optional<PackageMirror> pypi = first(mirrors, Kind.PYPI);
            if (pypi.isPresent()) {
                Path conf = home.resolve(".config/pip/pip.conf");
                Files.createDirectories(conf.getParent());
                Files.writeString(conf, MirrorSettings.pipConf(pypi.get(), PROXY));
            }
            if (maven.isPresent() || first(mirrors, Kind.GRADLE).isPresent()) {
                Path dir = home.resolve(".gradle/init.d");
                Files.createDirectories(dir);
                Files.writeString(home.resolve(".gradle/gradle.properties"), MirrorSettings.gradleProperties(PROXY));
                Files.writeString(
                        dir.resolve("drydock.gradle"), MirrorSettings.gradleInit(maven, first(mirrors, Kind.GRADLE)));
            }
        } catch (IOException e) {
            throw new SandboxException(
                    "cannot write the sandbox's mirror settings into " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * The setup step's extra variables ({@link MirrorSettings#setupEnv}), with the setup-only settings
     * in the home's {@value #SETUP_DIR}. Never given to any other command.
     */
    static Map<String, String> setupEnv(List<PackageMirror> mirrors, Map<String, String> secretEnv) {
        return MirrorSettings.setupEnv(mirrors, secretEnv, HOME + "/" + SETUP_DIR, "");
    }

    static String mavenSettings(PackageMirror mirror, boolean withServer) {
        return MirrorSettings.mavenSettings(mirror, withServer, PROXY);
    }

    private static Optional<PackageMirror> first(List<PackageMirror> mirrors, Kind kind) {
        return mirrors.stream().filter(m -> m.kind() == kind).findFirst();
    }
}
