package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Dependency caches of one workspace (issue #18), under the spec's cache root: one folder per build
 * tool and hash of its lock or build files ({@code maven/<hash>}, {@code npm/<hash>}). A setup step
 * of a sandbox whose cache is cold fills the sandbox's own home; when it succeeds, that part of the
 * home is copied into the cache (world-readable, moved into place atomically, never changed again).
 * Later sandboxes of the workspace with the same files get it bound read-only at {@link #MOUNT}: a
 * changed {@code pom.xml} or {@code package-lock.json} is a new hash, so a new cache.
 */
final class DependencyCaches {
    /** Where a warm cache appears in the sandbox: {@code /opt/drydock/cache/maven}, {@code …/npm}. */
    static final String MOUNT = "/opt/drydock/cache/";

    private static final Set<String> SKIPPED_DIRS =
            Set.of(".git", "node_modules", "target", "build", ".gradle", ".mvn");
    private static final int MAX_DEPTH = 8;

    /** A build tool with a cache. */
    enum Tool {
        /** Maven's local repository ({@code ~/.m2/repository}), keyed by every {@code pom.xml}. */
        MAVEN("maven", PackageMirror.Kind.MAVEN, ".m2/repository"),
        /** npm's cache ({@code ~/.npm}), keyed by {@code package-lock.json} (or {@code npm-shrinkwrap.json}, else {@code package.json}). */
        NPM("npm", PackageMirror.Kind.NPM, ".npm"),
        /**
         * Go's module download cache ({@code ~/go/pkg/mod/cache/download}, a valid GOPROXY), keyed by {@code
         * go.sum} (else {@code go.mod}); a warm one comes first in {@code GOPROXY} as a {@code file://} proxy.
         */
        GO("go", PackageMirror.Kind.GO, "go/pkg/mod/cache/download");

        final String dir;
        final PackageMirror.Kind kind;
        final String inHome;

        Tool(String dir, PackageMirror.Kind kind, String inHome) {
            this.dir = dir;
            this.kind = kind;
            this.inHome = inHome;
        }

        /** Where the warm cache is bound in the sandbox. */
        String mount() {
            return MOUNT + dir;
        }
    }

    /**
     * A tool's cache for one sandbox.
     *
     * @param tool the build tool
     * @param folder the cache folder for the workspace's current files
     * @param warm whether it was filled before (then it is bound read-only)
     */
    record Cache(Tool tool, Path folder, boolean warm) {}

    private DependencyCaches() {}

    /** The caches that apply to a workspace: tools whose mirror the sandbox may reach and whose files the workspace has. */
    static List<Cache> of(Path root, Path workspace, List<PackageMirror> mirrors) {
        List<Cache> out = new ArrayList<>();
        for (Tool t : Tool.values()) {
            if (mirrors.stream().noneMatch(m -> m.kind() == t.kind)) {
                continue;
            }
            key(t, workspace).ifPresent(k -> {
                Path folder = root.resolve(t.dir).resolve(k);
                boolean warm = Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS);
                if (warm) {
                    // its last use, for the folder's LRU eviction
                    dev.drydock.sandbox.DependencyCacheFolder.markUsed(folder);
                }
                out.add(new Cache(t, folder, warm));
            });
        }
        return out;
    }

    /** The hash of the files that decide a tool's dependencies, or empty when the workspace has none. */
    static Optional<String> key(Tool tool, Path workspace) {
        List<Path> files = switch (tool) {
            case MAVEN -> poms(workspace);
            case NPM ->
                Stream.of("package-lock.json", "npm-shrinkwrap.json", "package.json")
                        .map(workspace::resolve)
                        .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .limit(1)
                        .toList();
            case GO ->
                Stream.of("go.sum", "go.mod")
                        .map(workspace::resolve)
                        .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .limit(1)
                        .toList();
        };
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                sha.update(workspace.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
                sha.update((byte) 0);
            }
            return Optional.of(HexFormat.of().formatHex(sha.digest(), 0, 16));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private static List<Path> poms(Path workspace) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(workspace, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(workspace)
                                    && SKIPPED_DIRS.contains(d.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && f.getFileName().toString().equals("pom.xml")) {
                        found.add(f);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        found.sort(null);
        return found;
    }

    /**
     * After a successful setup step: copies what the setup put in the home for a cold cache into the
     * cache folder (regular files and folders only, world-readable), then moves it into place. A
     * cache another sandbox filled meanwhile wins.
     */
    static void fill(Cache cache, Path home) {
        Path source = home.resolve(cache.tool().inHome);
        if (cache.warm()
                || !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(cache.folder())) {
            return;
        }
        Path tmp = cache.folder().resolveSibling(cache.folder().getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(cache.folder().getParent());
            // the cache root and the tool's folder: sandboxes under other uids look up the bound folder
            Path toolFolder = java.util.Objects.requireNonNull(
                    cache.folder().getParent(), "a cache folder lies in its tool's folder");
            Files.setPosixFilePermissions(toolFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(
                    java.util.Objects.requireNonNull(toolFolder.getParent(), "a tool's folder lies in the cache root"),
                    PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (d.getFileName().toString().equals("_logs")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Path t = tmp.resolve(source.relativize(d).toString());
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        Path t = tmp.resolve(source.relativize(f).toString());
                        Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            Files.move(tmp, cache.folder(), StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            BubblewrapSandbox.deleteTree(tmp);
        } catch (IOException | UnsupportedOperationException e) {
            BubblewrapSandbox.deleteTree(tmp);
            throw new SandboxException(
                    "cannot fill the " + cache.tool().dir + " dependency cache " + cache.folder() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
