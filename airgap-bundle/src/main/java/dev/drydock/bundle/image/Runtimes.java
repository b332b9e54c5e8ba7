package dev.drydock.bundle.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Java runtimes for the images, made with {@code jlink} from a JDK on the build machine and cached. */
public final class Runtimes {
    private Runtimes() {}

    /**
     * A runtime of {@code modules} linked from {@code jdk}, cached under {@code cache/jre/<hash>} (the hash
     * covers the JDK's {@code release} file and the module list).
     */
    public static Path jlink(Path jdk, List<String> modules, Path cache) throws IOException, InterruptedException {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(jdk.resolve("bin/jlink"))) {
            throw new IOException(jdk + " is not a JDK with jlink (no release file or bin/jlink)");
        }
        String key = sha256(Files.readString(release) + "\n" + String.join(",", modules))
                .substring(0, 16);
        Path out = cache.resolve("jre").resolve(key);
        if (Files.isExecutable(out.resolve("bin/java"))) {
            return out;
        }
        Path partial = out.resolveSibling(key + ".partial");
        ImageBuilder.deleteTree(partial);
        Files.createDirectories(partial.getParent());
        List<String> command = new ArrayList<>(List.of(
                jdk.resolve("bin/jlink").toString(),
                "--add-modules",
                String.join(",", modules),
                "--strip-debug",
                "--no-man-pages",
                "--no-header-files",
                "--compress=zip-6",
                "--output",
                partial.toString()));
        ImageBuilder.run(command);
        Files.move(partial, out);
        return out;
    }

    /** Maven for the sandbox: {@code MAVEN_HOME}, else the Maven wrapper's distribution under {@code ~/.m2/wrapper}. */
    public static java.util.Optional<Path> defaultMaven() {
        String env = System.getenv("MAVEN_HOME");
        if (env != null && Files.isExecutable(Path.of(env, "bin/mvn"))) {
            return java.util.Optional.of(Path.of(env));
        }
        Path dists = Path.of(System.getProperty("user.home"), ".m2/wrapper/dists");
        if (!Files.isDirectory(dists)) {
            return java.util.Optional.empty();
        }
        try (var walk = Files.walk(dists, 3)) {
            return walk.filter(p -> Files.isExecutable(p.resolve("bin/mvn")))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** The {@code JAVA_VERSION} and {@code IMPLEMENTOR} of a JDK or runtime, from its release file. */
    public static String describe(Path javaHome) throws IOException {
        String version = "", implementor = "";
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                version = line.substring(13).replace("\"", "");
            } else if (line.startsWith("IMPLEMENTOR=")) {
                implementor = line.substring(12).replace("\"", "");
            }
        }
        return (implementor + " " + version).strip();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
