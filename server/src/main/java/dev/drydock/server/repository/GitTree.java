package dev.drydock.server.repository;

import dev.drydock.server.agent.tool.FileTree;
import dev.drydock.server.agent.tool.ToolFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One commit of a repository mirror as a read-only {@link FileTree}, read straight from git objects
 * (no checkout): what the project overview is computed from at indexing time. Files larger than
 * {@link #MAX_READ} are refused, like the sandbox's read limit.
 */
final class GitTree implements FileTree {
    static final long MAX_READ = 1 << 20;

    private final Repository repo;
    private final RevTree root;

    GitTree(Repository repo, String commit) {
        this.repo = repo;
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            this.root = c.getTree();
        } catch (IOException e) {
            throw new UncheckedIOException("commit " + commit + " is not in the mirror", e);
        }
    }

    @Override
    public String read(String path) {
        try (ObjectReader reader = repo.newObjectReader();
                TreeWalk walk = TreeWalk.forPath(reader, clean(path), root)) {
            if (walk == null || walk.getFileMode(0).getObjectType() != org.eclipse.jgit.lib.Constants.OBJ_BLOB) {
                throw new ToolFailure("no file " + path);
            }
            var loader = reader.open(walk.getObjectId(0));
            if (loader.getSize() > MAX_READ) {
                throw new ToolFailure(path + " is larger than " + MAX_READ + " bytes");
            }
            return new String(loader.getBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isFile(String path) {
        try (ObjectReader reader = repo.newObjectReader();
                TreeWalk walk = TreeWalk.forPath(reader, clean(path), root)) {
            return walk != null
                    && (walk.getFileMode(0) == FileMode.REGULAR_FILE
                            || walk.getFileMode(0) == FileMode.EXECUTABLE_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Entry> list(String directory) {
        String dir = clean(directory);
        List<Entry> out = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader()) {
            TreeWalk walk;
            if (dir.isEmpty()) {
                walk = new TreeWalk(reader);
                walk.addTree(root);
            } else {
                try (TreeWalk at = TreeWalk.forPath(reader, dir, root)) {
                    if (at == null || at.getFileMode(0) != FileMode.TREE) {
                        throw new ToolFailure("no directory " + directory);
                    }
                    walk = new TreeWalk(reader);
                    walk.addTree(at.getObjectId(0));
                }
            }
            try (walk) {
                walk.setRecursive(false);
                while (walk.next()) {
                    boolean tree = walk.getFileMode(0) == FileMode.TREE;
                    long size = tree ? 0 : reader.getObjectSize(walk.getObjectId(0), ObjectReader.OBJ_ANY);
                    out.add(new Entry(walk.getNameString(), tree, size));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    /** Git paths have no leading {@code ./} or {@code /}; {@code .} is the root. */
    private static String clean(String path) {
        String p = path.strip();
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(".")) {
            p = "";
        }
        if (p.equals("..") || p.startsWith("../") || p.contains("/../")) {
            throw new ToolFailure("path escapes the repository: " + path);
        }
        return p;
    }

    /** Every file path of the commit (blobs and submodule links), in tree order. */
    List<String> paths() {
        List<String> out = new java.util.ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(root);
            walk.setRecursive(true);
            while (walk.next()) {
                out.add(walk.getPathString());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
