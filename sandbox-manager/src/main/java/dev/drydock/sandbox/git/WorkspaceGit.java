package dev.drydock.sandbox.git;

import dev.drydock.sandbox.SandboxException;
import dev.drydock.sandbox.WorkspaceSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;

/** Checkout and diff of a workspace. */
public final class WorkspaceGit {
    private WorkspaceGit() {}

    /**
     * Fills {@code workspace} from a local mirror at a commit (detached HEAD, with its own {@code
     * .git} for the droid's use) and keeps a bare copy in {@code baseRepo} for {@link #diff}.
     *
     * @return the full id of the base commit
     */
    public static String checkout(WorkspaceSource source, Path workspace, Path baseRepo) {
        if (!Files.isDirectory(source.mirror())) {
            throw new SandboxException("workspace mirror " + source.mirror() + " does not exist");
        }
        String uri = source.mirror().toUri().toString();
        try (Git bare = Git.cloneRepository().setURI(uri).setBare(true).setDirectory(baseRepo.toFile()).call()) {
            ObjectId id = bare.getRepository().resolve(source.commit() + "^{commit}");
            if (id == null) {
                throw new SandboxException("commit '" + source.commit() + "' not found in mirror " + source.mirror());
            }
            try (Git work = Git.cloneRepository().setURI(uri).setDirectory(workspace.toFile()).setNoCheckout(true).call()) {
                work.checkout().setName(id.name()).call();
            }
            return id.name();
        } catch (GitAPIException | IOException e) {
            throw new SandboxException("cannot check out " + source.commit() + " from " + source.mirror() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Git-format diff of the working tree of {@code workspace} against {@code baseCommit} in {@code
     * baseRepo}, including untracked files. The workspace's own {@code .git} is not read.
     */
    public static String diff(Path baseRepo, String baseCommit, Path workspace) {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(baseRepo.toFile()).setWorkTree(workspace.toFile()).setMustExist(true).build();
                ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            RevCommit commit = walk.parseCommit(repo.resolve(baseCommit));
            CanonicalTreeParser base = new CanonicalTreeParser();
            base.reset(reader, commit.getTree());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DiffFormatter fmt = new DiffFormatter(out)) {
                fmt.setRepository(repo);
                fmt.format(base, new FileTreeIterator(repo));
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SandboxException("cannot diff workspace: " + e.getMessage(), e);
        }
    }
}
