package dev.drydock.search.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.jspecify.annotations.Nullable;

/**
 * A plain folder. Honours {@code .gitignore} files at every level, never follows directory links
 * (so link loops cannot happen) and reads a linked file only when its target lies inside the root.
 */
public final class FolderSourceTree implements SourceTree {
    private static final long RACY_MILLIS = 2000;

    private final Path root;
    private final Path realRoot;

    public FolderSourceTree(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
    }

    @Override
    public @Nullable String revision() {
        return null;
    }

    @Override
    public void walk(IngestPolicy policy, Consumer<SourceEntry> entries, Consumer<SkipReason> skipped)
            throws IOException {
        Deque<Ignores> ignores = new ArrayDeque<>();
        long startedMillis = System.currentTimeMillis();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String rel = relative(dir);
                if (!rel.isEmpty()) {
                    String name = dir.getFileName().toString();
                    if (name.equals(".git") || name.equals(".drydock") || isIgnored(ignores, rel, true)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                }
                Path gitignore = dir.resolve(".gitignore");
                if (Files.isRegularFile(gitignore, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    IgnoreNode node = new IgnoreNode();
                    try (InputStream in = Files.newInputStream(gitignore)) {
                        node.parse(in);
                        ignores.push(new Ignores(rel, node));
                    } catch (IOException e) {
                        skipped.accept(SkipReason.UNREADABLE);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) {
                String rel = relative(dir);
                if (!ignores.isEmpty() && ignores.peek().dir().equals(rel)) {
                    ignores.pop();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(file);
                if (isIgnored(ignores, rel, attrs.isDirectory())) {
                    skipped.accept(SkipReason.IGNORED);
                    return FileVisitResult.CONTINUE;
                }
                Path target = file;
                long size = attrs.size();
                if (attrs.isSymbolicLink()) {
                    try {
                        Path real = file.toRealPath();
                        if (!real.startsWith(realRoot)) {
                            skipped.accept(SkipReason.OUTSIDE_ROOT);
                            return FileVisitResult.CONTINUE;
                        }
                        if (!Files.isRegularFile(real)) {
                            skipped.accept(SkipReason.SYMLINK);
                            return FileVisitResult.CONTINUE;
                        }
                        target = real;
                        size = Files.size(real);
                    } catch (IOException e) {
                        skipped.accept(SkipReason.UNREADABLE);
                        return FileVisitResult.CONTINUE;
                    }
                } else if (!attrs.isRegularFile()) {
                    skipped.accept(SkipReason.UNREADABLE);
                    return FileVisitResult.CONTINUE;
                }
                var reason = policy.checkPath(rel, size);
                if (reason.isPresent()) {
                    skipped.accept(reason.get());
                    return FileVisitResult.CONTINUE;
                }
                Path read = target;
                long modified = attrs.lastModifiedTime().toMillis();
                // like git's racy-clean rule: a file modified just now may change again within the same tick
                String stamp = modified < startedMillis - RACY_MILLIS ? size + "@" + modified : "";
                entries.accept(new SourceEntry(rel, null, size, stamp, () -> Files.readAllBytes(read)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                skipped.accept(SkipReason.UNREADABLE);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private record Ignores(String dir, IgnoreNode node) {}

    private static boolean isIgnored(Deque<Ignores> stack, String rel, boolean directory) {
        for (Ignores ignores : stack) { // innermost first
            String dir = ignores.dir();
            if (!dir.isEmpty() && !rel.startsWith(dir + "/")) {
                continue;
            }
            String sub = dir.isEmpty() ? rel : rel.substring(dir.length() + 1);
            Boolean ignored = ignores.node().checkIgnored(sub, directory);
            if (ignored != null) {
                return ignored;
            }
        }
        return false;
    }

    private String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    @Override
    public void close() {}
}
