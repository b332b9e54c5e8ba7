package dev.drydock.cli.bench;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Materialises a benchmark set's corpus: Maven sources jars ({@code group:artifact:version:classifier}),
 * taken from the local Maven repository or fetched through Maven, unpacked one folder per artifactId.
 */
final class BenchCorpus {
    private static final long MAX_ENTRY_BYTES = 64L * 1024 * 1024;

    private BenchCorpus() {}

    static Path materialise(List<String> coordinates, Path cacheDir, PrintWriter err) {
        Path corpus = cacheDir.resolve("corpus");
        Path jars = cacheDir.resolve("jars");
        try {
            Files.createDirectories(corpus);
            Files.createDirectories(jars);
            for (String coordinate : coordinates) {
                String[] p = coordinate.split(":");
                if (p.length < 3) {
                    throw new CliException("bad Maven coordinate in the set: " + coordinate);
                }
                String group = p[0];
                String artifact = p[1];
                String version = p[2];
                String classifier = p.length > 3 ? p[3] : "sources";
                Path target = corpus.resolve(artifact);
                Path done = cacheDir.resolve(artifact + ".unpacked");
                if (Files.exists(done)) {
                    continue;
                }
                Path jar = locate(group, artifact, version, classifier, jars, err);
                unpack(jar, target);
                Files.writeString(done, coordinate);
            }
        } catch (IOException e) {
            throw new CliException("cannot prepare the corpus in " + cacheDir + ": " + e.getMessage());
        }
        return corpus;
    }

    private static Path locate(
            String group, String artifact, String version, String classifier, Path jars, PrintWriter err)
            throws IOException {
        String file = artifact + "-" + version + "-" + classifier + ".jar";
        Path m2 = Path.of(
                System.getProperty("user.home"), ".m2", "repository", group.replace('.', '/'), artifact, version, file);
        if (Files.isRegularFile(m2)) {
            return m2;
        }
        Path copied = jars.resolve(file);
        if (Files.isRegularFile(copied)) {
            return copied;
        }
        String mvn = System.getenv("DRYDOCK_MVN");
        List<String> cmd = new ArrayList<>(List.of(
                mvn != null ? mvn : "mvn",
                "-q",
                "dependency:copy",
                "-Dartifact=" + group + ":" + artifact + ":" + version + ":jar:" + classifier,
                "-DoutputDirectory=" + jars.toAbsolutePath()));
        err.println("fetching " + group + ":" + artifact + ":" + version + ":" + classifier + " through Maven");
        err.flush();
        ProcessBuilder builder =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        String root = System.getenv("DRYDOCK_ROOT");
        if (root != null) {
            builder.directory(Path.of(root).toFile());
        }
        try {
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new CliException(
                        "Maven could not fetch " + file + " (command: " + String.join(" ", cmd) + ")",
                        CliExit.UNAVAILABLE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while fetching " + file, CliExit.UNAVAILABLE);
        } catch (IOException e) {
            throw new CliException(
                    "cannot run Maven to fetch " + file + ": " + e.getMessage() + " (set DRYDOCK_MVN)",
                    CliExit.UNAVAILABLE);
        }
        if (!Files.isRegularFile(copied)) {
            throw new CliException("Maven did not produce " + copied, CliExit.UNAVAILABLE);
        }
        return copied;
    }

    /** Unpacks a jar, refusing entries that would land outside {@code target}. */
    static void unpack(Path jar, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory() || entry.getName().startsWith("META-INF/")) {
                    continue;
                }
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.write(out, zip.readNBytes((int) MAX_ENTRY_BYTES));
            }
        }
    }
}
