package dev.drydock.cli.search;

import dev.drydock.cli.CliException;
import dev.drydock.cli.CliExit;
import dev.drydock.search.CodeIndexer;
import dev.drydock.search.IndexReport;
import dev.drydock.search.IndexRequest;
import dev.drydock.search.SearchException;
import dev.drydock.search.index.IndexMeta;
import dev.drydock.search.index.IndexStore;
import dev.drydock.search.ingest.IngestPolicy;
import dev.drydock.server.embedding.OnnxEmbedder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./drydock index PATH --index DIR [--repo NAME]}: builds or updates a code search index. */
@Command(name = "index", description = "Build or update a code search index from a folder or a git repository.")
public final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "folder or git repository to index")
    Path source;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "index folder")
    Path indexDir;

    @Option(
            names = "--repo",
            paramLabel = "NAME",
            description = "repo name for hits and access control (default: folder name)")
    @Nullable
    String repo;

    @Option(names = "--rev", paramLabel = "REV", description = "commit to index for git repositories (default HEAD)")
    @Nullable
    String revision;

    @Option(names = "--rebuild", description = "discard the existing index and build it again")
    boolean rebuild;

    @Option(
            names = "--vectors",
            negatable = true,
            description =
                    "store embeddings for dense search (default: on for a new index, as before for an existing one)")
    @Nullable
    Boolean vectors;

    @Option(
            names = "--max-file-bytes",
            paramLabel = "N",
            description = "skip files larger than this (default ${DEFAULT-VALUE})",
            defaultValue = "" + IngestPolicy.DEFAULT_MAX_FILE_BYTES)
    long maxFileBytes;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "indexing threads (default ${DEFAULT-VALUE})",
            defaultValue = "2")
    int threads;

    @Mixin
    EmbeddingOptions embedding;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(source)) {
            throw new CliException("not a folder: " + source, CliExit.USAGE);
        }
        Path absolute = source.toAbsolutePath().normalize();
        String name = repo != null
                ? repo
                : absolute.getFileName() == null
                        ? "root"
                        : absolute.getFileName().toString();
        Optional<IndexMeta> existing = rebuild ? Optional.empty() : peek(indexDir);
        boolean withVectors = vectors != null
                ? vectors
                : existing.map(m -> m.modelId() != null).orElse(true);
        try (OnnxEmbedder embedder = withVectors ? embedding.load() : null) {
            CodeIndexer indexer = new CodeIndexer(indexDir, embedder);
            IndexRequest request = new IndexRequest(source, name, revision, new IngestPolicy(maxFileBytes), threads);
            IndexReport report = indexer.index(request, rebuild, new Progress(err));
            out.println(Progress.summary(report));
            out.flush();
            return CliExit.OK;
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        }
    }

    static Optional<IndexMeta> peek(Path indexDir) {
        try {
            return IndexStore.peekMeta(indexDir);
        } catch (SearchException e) {
            throw new CliException(e.getMessage(), CliExit.DATA, e);
        }
    }
}
