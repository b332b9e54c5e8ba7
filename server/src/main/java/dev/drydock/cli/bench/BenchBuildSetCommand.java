package dev.drydock.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.search.SearchException;
import dev.drydock.search.ingest.GitSourceTree;
import dev.drydock.search.ingest.Languages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./drydock bench build-set --repo GIT_DIR --snapshot REV --out DIR [--max N]}: a retrieval
 * set from a repository's own history. {@code DIR/corpus} is a clone whose only branch ends at REV
 * (later commits unreachable and pruned); {@code DIR/queries.jsonl} holds the messages of later
 * non-merge commits that change 1–4 main (non-test) source files existing at REV.
 */
@Command(name = "build-set", description = "Build a retrieval set (corpus + queries) from a git repository's history.")
public final class BenchBuildSetCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static final Pattern TEST_PATH = Pattern.compile(
            "(^|/)(test|tests|testing|testdata|test-data|__tests__|spec|specs|testFixtures|it|e2e|benchmarks?|examples?|docs?|samples?)(/|$)"
                    + "|(^|/)src/(test|it|jmh)[^/]*/"
                    + "|(Tests?|IT|Spec|TestCase)\\.[A-Za-z]+$|_test\\.[A-Za-z]+$|(^|/)test_[^/]*$|\\.(test|spec)\\.[A-Za-z]+$");
    private static final Pattern TRAILER = Pattern.compile(
            "^(Closes|Fixes|See|Resolves|Signed-off-by|Co-authored-by|Reviewed-by|Change-Id):?\\s.*",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> SOURCE_LANGUAGES = Set.of(
            "java",
            "kotlin",
            "groovy",
            "scala",
            "python",
            "javascript",
            "typescript",
            "go",
            "csharp",
            "c",
            "cpp",
            "rust",
            "swift",
            "php",
            "ruby");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--repo",
            required = true,
            paramLabel = "GIT_DIR",
            description = "git repository (work tree or bare)")
    Path repo;

    @Option(names = "--snapshot", required = true, paramLabel = "REV", description = "the corpus revision")
    String snapshot;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "output folder (corpus/ and queries.jsonl)")
    Path out;

    @Option(names = "--max", paramLabel = "N", description = "at most N queries (the earliest after REV)")
    int max;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(repo) || !GitSourceTree.isGitRepository(repo)) {
            throw new CliException("not a git repository: " + repo, CliExit.USAGE);
        }
        Path corpus = out.resolve("corpus");
        if (Files.exists(corpus)) {
            throw new CliException(corpus + " already exists; choose an empty --out folder", CliExit.USAGE);
        }
        try (Repository source = GitSourceTree.openRepository(repo)) {
            ObjectId snap = source.resolve(snapshot + "^{commit}");
            if (snap == null) {
                throw new CliException("revision '" + snapshot + "' not found in " + repo, CliExit.USAGE);
            }
            List<ObjectNode> queries = queries(source, snap);
            if (max > 0 && queries.size() > max) {
                queries = queries.subList(0, max);
            }
            Files.createDirectories(out);
            try (Writer w = Files.newBufferedWriter(out.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
                for (ObjectNode q : queries) {
                    w.write(q.toString());
                    w.write('\n');
                }
            }
            cloneAt(source, snap, corpus);
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "wrote %d queries to %s and the corpus at %s (%s)%n",
                            queries.size(),
                            out.resolve("queries.jsonl"),
                            corpus,
                            snap.getName().substring(0, 12));
            spec.commandLine().getOut().flush();
            err.flush();
            return CliExit.OK;
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        } catch (IOException | GitAPIException e) {
            throw new CliException("cannot build the set: " + e.getMessage(), CliExit.DATA, e);
        }
    }

    /**
     * One query per later commit: not reachable from the snapshot and committed after it (a side
     * branch merged after the snapshot may hold commits written long before it, against older code;
     * those are not tasks on the snapshot), non-merge, changing 1–4 main source files that exist at
     * the snapshot.
     */
    static List<ObjectNode> queries(Repository source, ObjectId snap) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(source);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(source);
            diff.setDetectRenames(true);
            RevCommit snapshotCommit = walk.parseCommit(snap);
            Set<String> atSnapshot = paths(source, snapshotCommit);
            for (Ref ref : source.getRefDatabase().getRefs()) {
                ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (id == null) {
                    continue;
                }
                try {
                    walk.markStart(walk.parseCommit(id));
                } catch (IOException notACommit) {
                    // tags of trees or blobs: not history
                }
            }
            walk.markUninteresting(snapshotCommit);
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            for (RevCommit commit : walk) {
                if (commit.getParentCount() != 1 || commit.getCommitTime() <= snapshotCommit.getCommitTime()) {
                    continue;
                }
                Set<String> changed = new LinkedHashSet<>();
                boolean ok = true;
                for (DiffEntry entry : diff.scan(commit.getParent(0).getTree(), commit.getTree())) {
                    String path =
                            entry.getChangeType() == DiffEntry.ChangeType.ADD ? entry.getNewPath() : entry.getOldPath();
                    if (!isMainSource(path)) {
                        continue;
                    }
                    if (!atSnapshot.contains(path)) {
                        ok = entry.getChangeType() != DiffEntry.ChangeType.ADD && ok;
                        continue;
                    }
                    changed.add(path);
                }
                if (!ok || changed.isEmpty() || changed.size() > 4) {
                    continue;
                }
                String message = cleanMessage(commit.getFullMessage());
                if (message.isBlank()) {
                    continue;
                }
                ObjectNode q = JSON.createObjectNode();
                q.put("id", commit.getName().substring(0, 10));
                q.put("query", message);
                ArrayNode rel = q.putArray("relevant");
                changed.forEach(rel::add);
                out.add(q);
            }
        }
        return out;
    }

    static boolean isMainSource(String path) {
        return SOURCE_LANGUAGES.contains(Languages.detect(path))
                && !TEST_PATH.matcher(path).find();
    }

    static String cleanMessage(String message) {
        List<String> lines = new ArrayList<>();
        for (String line : message.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !TRAILER.matcher(trimmed).matches()) {
                lines.add(trimmed);
            }
        }
        return String.join("\n", lines);
    }

    private static Set<String> paths(Repository source, RevCommit commit) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        try (TreeWalk tree = new TreeWalk(source)) {
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                out.add(tree.getPathString());
            }
        }
        return out;
    }

    /** Clones {@code source} to {@code target} with one branch at {@code snap}; nothing later stays reachable. */
    private static void cloneAt(Repository source, ObjectId snap, Path target) throws IOException, GitAPIException {
        try (Git git = Git.init()
                .setDirectory(target.toFile())
                .setInitialBranch("main")
                .call()) {
            Repository repo = git.getRepository();
            git.fetch()
                    .setRemote(source.getDirectory().toURI().toString())
                    .setRefSpecs(allRefSpecs())
                    .call();
            RefUpdate update = repo.updateRef(Constants.R_HEADS + "main");
            update.setNewObjectId(snap);
            update.setForceUpdate(true);
            update.update();
            for (Ref ref : repo.getRefDatabase().getRefs()) {
                if (!ref.getName().equals(Constants.R_HEADS + "main")
                        && !ref.getName().equals(Constants.HEAD)) {
                    RefUpdate delete = repo.updateRef(ref.getName());
                    delete.setForceUpdate(true);
                    delete.delete();
                }
            }
            git.checkout().setName("main").setForced(true).call();
            git.reset()
                    .setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD)
                    .setRef(snap.getName())
                    .call();
            git.gc().setExpire(new java.util.Date()).setPreserveOldPacks(false).call();
        }
    }

    private static List<org.eclipse.jgit.transport.RefSpec> allRefSpecs() {
        return Collections.singletonList(new org.eclipse.jgit.transport.RefSpec("+refs/heads/*:refs/remotes/source/*"));
    }
}
