package dev.drydock.search.ingest;

import dev.drydock.search.SearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The tree of one git commit, read from the object database (tracked files only, so ignore rules
 * are implied). Links and submodules are skipped; blob ids let re-indexing skip unchanged files
 * without reading them.
 */
public final class GitSourceTree implements SourceTree {
    private final Repository repository;
    private final RevCommit commit;
    private final ObjectReader reader;

    private GitSourceTree(Repository repository, RevCommit commit) {
        this.repository = repository;
        this.commit = commit;
        this.reader = repository.newObjectReader();
    }

    /** True when {@code dir} is a git work tree root (has {@code .git}) or a bare repository. */
    public static boolean isGitRepository(Path dir) {
        return Files.exists(dir.resolve(".git"))
                || (Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects")));
    }

    /** Opens {@code dir} at {@code rev} (HEAD when null). */
    public static GitSourceTree open(Path dir, @org.jspecify.annotations.Nullable String rev) {
        Repository repository = openRepository(dir);
        try (RevWalk walk = new RevWalk(repository)) {
            ObjectId id = repository.resolve(rev == null ? Constants.HEAD : rev);
            if (id == null) {
                repository.close();
                throw new SearchException(
                        rev == null
                                ? "git repository " + dir + " has no commits yet; nothing to index"
                                : "revision '" + rev + "' not found in " + dir);
            }
            return new GitSourceTree(repository, walk.parseCommit(id));
        } catch (IOException e) {
            repository.close();
            throw new SearchException("cannot read git repository " + dir + ": " + e.getMessage(), e);
        }
    }

    public static Repository openRepository(Path dir) {
        try {
            Path gitDir = Files.exists(dir.resolve(".git")) ? dir.resolve(".git") : dir;
            return new FileRepositoryBuilder()
                    .setGitDir(gitDir.toFile())
                    .setMustExist(true)
                    .build();
        } catch (IOException e) {
            throw new SearchException("not a readable git repository: " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    public Repository repository() {
        return repository;
    }

    public RevCommit commit() {
        return commit;
    }

    @Override
    public String revision() {
        return commit.getName();
    }

    @Override
    public void walk(IngestPolicy policy, Consumer<SourceEntry> entries, Consumer<SkipReason> skipped)
            throws IOException {
        try (TreeWalk tree = new TreeWalk(repository, repository.newObjectReader())) {
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                String path = tree.getPathString();
                if (mode == FileMode.SYMLINK) {
                    skipped.accept(SkipReason.SYMLINK);
                    continue;
                }
                if (mode == FileMode.GITLINK) {
                    skipped.accept(SkipReason.VENDORED);
                    continue;
                }
                ObjectId id = tree.getObjectId(0);
                long size;
                try {
                    size = tree.getObjectReader().getObjectSize(id, Constants.OBJ_BLOB);
                } catch (org.eclipse.jgit.errors.MissingObjectException e) {
                    skipped.accept(SkipReason.MISSING); // a partial clone (--filter=blob:...) left it out
                    continue;
                }
                var reason = policy.checkPath(path, size);
                if (reason.isPresent()) {
                    skipped.accept(reason.get());
                    continue;
                }
                entries.accept(new SourceEntry(path, id.getName(), size, "", () -> {
                    synchronized (reader) {
                        return reader.open(id, Constants.OBJ_BLOB).getBytes();
                    }
                }));
            }
        }
    }

    @Override
    public void close() {
        reader.close();
        repository.close();
    }
}
