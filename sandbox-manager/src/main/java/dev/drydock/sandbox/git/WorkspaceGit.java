package dev.drydock.sandbox.git;

import dev.drydock.sandbox.PathPattern;
import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.WorkspaceSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** Checkout and diff of a workspace. */
public final class WorkspaceGit {
    private WorkspaceGit() {}

    /** Where the snapshot of a commit without its withheld paths is kept in the base copy. */
    static final String SNAPSHOT_REF = "refs/drydock/snapshot";

    /**
     * Fills {@code workspace} from a local mirror at a commit (detached HEAD, with its own {@code
     * .git} for the droid's use) and keeps a bare copy in {@code baseRepo} for {@link #diff}. When the
     * source withholds paths, the workspace gets a one-commit snapshot without them instead: its
     * {@code .git} receives only the objects that snapshot reaches, so no withheld file, current or
     * past, is inside the sandbox.
     *
     * @return the full id of the base commit (of the snapshot when paths are withheld)
     */
    public static String checkout(WorkspaceSource source, Path workspace, Path baseRepo) {
        if (!Files.isDirectory(source.mirror())) {
            throw new SandboxException("workspace mirror " + source.mirror() + " does not exist");
        }
        String uri = source.mirror().toUri().toString();
        try (Git bare = Git.cloneRepository()
                .setURI(uri)
                .setBare(true)
                .setDirectory(baseRepo.toFile())
                .call()) {
            ObjectId id = bare.getRepository().resolve(source.commit() + "^{commit}");
            if (id == null) {
                throw new SandboxException("commit '" + source.commit() + "' not found in mirror " + source.mirror());
            }
            if (source.withheld().isEmpty()) {
                try (Git work = Git.cloneRepository()
                        .setURI(uri)
                        .setDirectory(workspace.toFile())
                        .setNoCheckout(true)
                        .call()) {
                    work.checkout().setName(id.name()).call();
                }
                return id.name();
            }
            ObjectId snapshot = snapshot(bare.getRepository(), id, source);
            try (Git work = Git.init().setDirectory(workspace.toFile()).call()) {
                work.fetch()
                        .setRemote(baseRepo.toUri().toString())
                        .setRefSpecs(new RefSpec(SNAPSHOT_REF + ":" + SNAPSHOT_REF))
                        .call();
                work.checkout().setName(snapshot.name()).call();
            }
            return snapshot.name();
        } catch (GitAPIException | IOException e) {
            throw new SandboxException(
                    "cannot check out " + source.commit() + " from " + source.mirror() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a parentless commit of {@code commit}'s tree without the withheld paths and points {@link #SNAPSHOT_REF} at it. */
    private static ObjectId snapshot(Repository repo, ObjectId commit, WorkspaceSource source) throws IOException {
        try (RevWalk walk = new RevWalk(repo);
                TreeWalk tree = new TreeWalk(repo);
                ObjectInserter inserter = repo.newObjectInserter()) {
            RevCommit base = walk.parseCommit(commit);
            tree.addTree(base.getTree());
            tree.setRecursive(true);
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            int withheld = 0;
            while (tree.next()) {
                if (source.withholds(tree.getPathString())) {
                    withheld++;
                    continue;
                }
                DirCacheEntry entry = new DirCacheEntry(tree.getPathString());
                entry.setFileMode(tree.getFileMode(0));
                entry.setObjectId(tree.getObjectId(0));
                builder.add(entry);
            }
            builder.finish();
            CommitBuilder snapshot = new CommitBuilder();
            snapshot.setTreeId(index.writeTree(inserter));
            snapshot.setAuthor(base.getAuthorIdent());
            snapshot.setCommitter(base.getCommitterIdent());
            snapshot.setMessage(
                    "Snapshot of " + commit.name() + " without " + withheld + " withheld path(s)\n\n"
                            + "Drydock leaves out paths labelled above what this session's models are cleared for; the history is not included.\n");
            ObjectId id = inserter.insert(snapshot);
            inserter.flush();
            RefUpdate ref = repo.updateRef(SNAPSHOT_REF);
            ref.setNewObjectId(id);
            ref.forceUpdate();
            return id;
        }
    }

    /** What ends a diff that was cut at its size cap. */
    public static String truncationMarker(int maxBytes) {
        return "[drydock: diff truncated after " + maxBytes + " bytes]\n";
    }

    /**
     * Git-format diff of the working tree of {@code workspace} against {@code baseCommit} in {@code
     * baseRepo}, including untracked files, up to {@code maxBytes}. The workspace's own {@code .git} is
     * not read.
     */
    public static String diff(Path baseRepo, String baseCommit, Path workspace, int maxBytes) {
        return diff(baseRepo, baseCommit, workspace, List.of(), maxBytes);
    }

    /**
     * {@link #diff(Path, String, Path, int)} without the paths {@code withheld} matches. The formatter
     * writes into a stream that keeps at most {@code maxBytes} and stops the walk as soon as more
     * comes, so neither the memory nor the time spent grows with the size of the changes: a larger
     * diff is cut at its last complete line within the cap and ends with {@link #truncationMarker}.
     * Files above the cap are diffed as binary (JGit would otherwise read each whole into memory).
     */
    public static String diff(
            Path baseRepo, String baseCommit, Path workspace, List<PathPattern> withheld, int maxBytes) {
        Capped out = new Capped(maxBytes);
        try (Repository repo = new FileRepositoryBuilder()
                        .setGitDir(baseRepo.toFile())
                        .setWorkTree(workspace.toFile())
                        .setMustExist(true)
                        .build();
                ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            RevCommit commit = walk.parseCommit(repo.resolve(baseCommit));
            CanonicalTreeParser base = new CanonicalTreeParser();
            base.reset(reader, commit.getTree());
            try (DiffFormatter fmt = new DiffFormatter(out)) {
                fmt.setRepository(repo);
                fmt.setBinaryFileThreshold(Math.max(1, maxBytes));
                if (!withheld.isEmpty()) {
                    fmt.setPathFilter(new Withheld(withheld));
                }
                fmt.format(base, new FileTreeIterator(repo));
                fmt.flush();
            } catch (CapReached e) {
                return out.truncated();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SandboxException("cannot diff workspace: " + e.getMessage(), e);
        }
    }

    /** Thrown by {@link Capped} to stop the formatter. */
    private static final class CapReached extends IOException {
        CapReached() {
            super("diff size cap reached");
        }
    }

    /** Keeps up to {@code max} bytes; one byte more ends the diff with {@link CapReached}. */
    private static final class Capped extends java.io.OutputStream {
        private final int max;
        private final ByteArrayOutputStream kept;

        Capped(int max) {
            this.max = max;
            this.kept = new ByteArrayOutputStream(Math.min(max, 64 * 1024));
        }

        @Override
        public void write(int b) throws IOException {
            if (kept.size() >= max) {
                throw new CapReached();
            }
            kept.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int room = max - kept.size();
            kept.write(b, off, Math.min(room, len));
            if (len > room) {
                throw new CapReached();
            }
        }

        String toString(java.nio.charset.Charset charset) {
            return kept.toString(charset);
        }

        /** The kept bytes up to their last complete line, then the marker. */
        String truncated() {
            byte[] bytes = kept.toByteArray();
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8) + truncationMarker(max);
        }
    }

    /** Leaves out withheld paths (and whole withheld folders) from a tree walk. */
    private static final class Withheld extends TreeFilter {
        private final List<PathPattern> patterns;

        Withheld(List<PathPattern> patterns) {
            this.patterns = patterns;
        }

        @Override
        public boolean include(TreeWalk walker) {
            String path = walker.getPathString();
            return !PathPattern.anyMatches(patterns, path);
        }

        @Override
        public boolean shouldBeRecursive() {
            return true;
        }

        @Override
        public TreeFilter clone() {
            return this;
        }
    }
}
