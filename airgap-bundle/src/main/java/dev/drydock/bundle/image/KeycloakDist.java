package dev.drydock.bundle.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keycloak home for the evaluation image, from the Maven distribution
 * ({@code org.keycloak:keycloak-quarkus-dist:<keycloak.version>:zip}, the one {@code ./drydock up} runs):
 * unpacked, built once with {@code kc.sh build --db=postgres --health-enabled=true} (so the container starts
 * with {@code start --optimized} and never writes its own files), with the drydock realm in
 * {@code data/import}. Cached under {@code cache/keycloak/<hash>} of the zip and the realm.
 */
public final class KeycloakDist {
    /**
     * Build options baked into the image; the chart passes only runtime options. The evaluation install runs one
     * Keycloak pod, so its caches are local: no JGroups discovery through the database, no cluster certificates,
     * no cluster ports (about 20 s less at each start).
     */
    public static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true", "--cache=local");

    private KeycloakDist() {}

    /** The prepared Keycloak home. */
    public static Path prepare(Path zip, Path realm, Path javaHome, Path cache)
            throws IOException, InterruptedException {
        String key = Runtimes.sha256(zip.getFileName() + "\n" + Files.size(zip) + "\n" + Files.readString(realm) + "\n"
                        + String.join(" ", BUILD_OPTIONS) + "\n" + Runtimes.describe(javaHome))
                .substring(0, 16);
        Path out = cache.resolve("keycloak").resolve(key);
        if (Files.isRegularFile(out.resolve("lib/quarkus/build-system.properties"))
                && Files.isRegularFile(out.resolve("data/import/drydock-realm.json"))) {
            return out;
        }
        Path partial = out.resolveSibling(key + ".partial");
        ImageBuilder.deleteTree(partial);
        Files.createDirectories(partial);
        unzipStrippingTopFolder(zip, partial);
        Files.createDirectories(partial.resolve("data/import"));
        Files.copy(realm, partial.resolve("data/import/drydock-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder build = new ProcessBuilder(
                        concat(List.of("bash", partial.resolve("bin/kc.sh").toString(), "build"), BUILD_OPTIONS))
                .redirectErrorStream(true);
        build.environment().put("JAVA_HOME", javaHome.toString());
        build.environment().remove("JAVA_OPTS");
        Path log = Files.createTempFile("keycloak-build-", ".log");
        Process p = build.redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IOException("kc.sh build failed: " + Files.readString(log).strip());
        }
        Files.deleteIfExists(log);
        // Nothing the build left in data/tmp belongs in the image.
        ImageBuilder.deleteTree(partial.resolve("data/tmp"));
        ImageBuilder.deleteTree(out);
        Files.move(partial, out);
        return out;
    }

    private static void unzipStrippingTopFolder(Path zip, Path target) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) continue;
                Path to = target.resolve(name.substring(slash + 1)).normalize();
                if (!to.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                    continue;
                }
                Files.createDirectories(to.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                }
                if (name.endsWith(".sh")) {
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
