package dev.drydock.server.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a git repository in a folder under a local root is self-contained: registering the folder
 * must not give a workspace the objects of a repository outside it. Refused: a {@code .git} file
 * (gitdir) or {@code commondir} leading out of the folder, {@code objects}, {@code refs},
 * {@code packed-refs} or {@code HEAD} resolving out of it (symbolic links anywhere below
 * {@code objects} and {@code refs} included), and {@code objects/info/alternates} naming an object
 * store outside it. Plain Java, no CDI.
 */
final class GitDirContainment {
    private GitDirContainment() {}

    /** Why {@code folder} (a real path) leads out of itself, or empty when it does not. */
    static Optional<String> outside(Path folder) {
        try {
            Path gitDir = gitDir(folder);
            if (!inside(folder, gitDir)) {
                return Optional.of(".git points to " + gitDir + ", outside the registered folder");
            }
            Path common = gitDir;
            Path commondir = gitDir.resolve("commondir");
            if (Files.exists(commondir, LinkOption.NOFOLLOW_LINKS)) {
                common = resolve(
                        gitDir,
                        Files.readString(commondir, StandardCharsets.UTF_8).strip());
                if (!inside(folder, common)) {
                    return Optional.of("commondir points to " + common + ", outside the registered folder");
                }
            }
            for (Path dir : List.of(gitDir, common)) {
                for (String part : List.of("objects", "refs", "packed-refs", "HEAD", "config")) {
                    Path p = dir.resolve(part);
                    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !inside(folder, p)) {
                        return Optional.of(part + " resolves to " + real(p) + ", outside the registered folder");
                    }
                }
                for (String tree : List.of("objects", "refs")) {
                    Optional<Path> link = linkOut(folder, dir.resolve(tree));
                    if (link.isPresent()) {
                        return Optional.of(folder.relativize(link.get()) + " is a link out of the registered folder");
                    }
                }
                Path alternates = dir.resolve("objects/info/alternates");
                if (Files.exists(alternates, LinkOption.NOFOLLOW_LINKS)) {
                    for (String line : Files.readAllLines(alternates, StandardCharsets.UTF_8)) {
                        String alt = line.strip();
                        if (alt.isEmpty() || alt.startsWith("#")) {
                            continue;
                        }
                        Path target = resolve(dir.resolve("objects"), alt);
                        if (!inside(folder, target)) {
                            return Optional.of("objects/info/alternates borrows objects from " + target
                                    + ", outside the registered folder");
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("its git files cannot be read (" + RepositorySync.failure(e) + ")");
        } catch (UncheckedIOException e) {
            return Optional.of("its git files cannot be read ("
                    + RepositorySync.failure(java.util.Objects.requireNonNullElse(e.getCause(), e)) + ")");
        }
    }

    /** The git directory of a work tree ({@code .git} folder or gitdir file) or the folder itself (bare). */
    private static Path gitDir(Path folder) throws IOException {
        Path dotGit = folder.resolve(".git");
        if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            String text = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
            if (text.startsWith("gitdir:")) {
                return resolve(folder, text.substring("gitdir:".length()).strip());
            }
        }
        if (Files.exists(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return dotGit;
        }
        return folder;
    }

    private static Path resolve(Path base, String path) {
        return base.resolve(path).normalize();
    }

    /** Whether {@code p}, with every link followed (as git would), stays under {@code folder}. */
    private static boolean inside(Path folder, Path p) throws IOException {
        return real(p).startsWith(folder);
    }

    /** The real path of {@code p}; a path that does not exist is judged by its nearest existing parent. */
    private static Path real(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null
                ? abs
                : existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }

    /** The first symbolic link under {@code tree} whose target leads out of {@code folder}. */
    private static Optional<Path> linkOut(Path folder, Path tree) throws IOException {
        if (!Files.isDirectory(tree)) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p) && !inside(folder, p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
