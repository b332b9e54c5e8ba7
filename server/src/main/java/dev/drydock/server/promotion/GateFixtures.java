package dev.drydock.server.promotion;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The gate's task fixtures, shipped in the server under {@code gate-fixtures/}: small repositories
 * with a failing test and a one-line task each, with the known fix (which no model sees: it is how
 * the suite proves each fixture can pass).
 */
public final class GateFixtures {
    private static final String ROOT = "gate-fixtures/";
    private static final Set<String> EXECUTABLE = Set.of("mvnw");

    private GateFixtures() {}

    /** One fixture: its repository's files, the task a droid gets, the test command and the known fix. */
    public record Fixture(
            String name,
            String language,
            String task,
            String test,
            Map<String, String> files,
            String fixPath,
            String fixOld,
            String fixNew) {
        public Fixture {
            files = Map.copyOf(files);
        }

        /** Writes the repository's files into {@code dir}, with the known fix applied when {@code fixed}. */
        public void writeTree(Path dir, boolean fixed) {
            try {
                for (var file : new java.util.TreeMap<>(files).entrySet()) {
                    Path target = dir.resolve(file.getKey());
                    Files.createDirectories(Objects.requireNonNull(target.getParent()));
                    String text = file.getValue();
                    if (fixed && file.getKey().equals(fixPath)) {
                        text = text.replace(fixOld, fixNew);
                    }
                    Files.writeString(target, text);
                    if (EXECUTABLE.contains(target.getFileName().toString())) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the fixture as a bare git repository at {@code bare} (one commit on {@code main}), as the mirror a session starts from. */
        public void writeMirror(Path bare) {
            Path work;
            try {
                work = Files.createTempDirectory("gate-fixture-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                writeTree(work, false);
                PersonIdent who = new PersonIdent("Drydock gate", "gate@drydock.invalid");
                try (Git git = Git.init()
                        .setDirectory(work.toFile())
                        .setInitialBranch("main")
                        .call()) {
                    git.add().addFilepattern(".").call();
                    git.commit()
                            .setMessage("gate fixture " + name)
                            .setAuthor(who)
                            .setCommitter(who)
                            .setSign(false)
                            .call();
                }
                Files.createDirectories(Objects.requireNonNull(bare.getParent()));
                try (Git ignored = Git.cloneRepository()
                        .setURI(work.toUri().toString())
                        .setDirectory(bare.toFile())
                        .setBare(true)
                        .call()) {
                    // cloned
                }
            } catch (GitAPIException | IOException e) {
                throw new IllegalStateException("cannot write gate fixture " + name + ": " + e.getMessage(), e);
            } finally {
                delete(work);
            }
        }
    }

    /** Every shipped fixture, in the index's order. */
    public static List<Fixture> all() {
        List<Fixture> out = new ArrayList<>();
        for (String line : read("index").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                out.add(load(name));
            }
        }
        return List.copyOf(out);
    }

    /** The shipped fixtures named in {@code names}, in the index's order; an unknown name is an error. */
    public static List<Fixture> select(List<String> names) {
        List<Fixture> all = all();
        for (String n : names) {
            if (all.stream().noneMatch(f -> f.name().equals(n))) {
                throw new IllegalArgumentException("drydock.promotion.fixtures: no shipped fixture '" + n + "'");
            }
        }
        return all.stream().filter(f -> names.contains(f.name())).toList();
    }

    private static Fixture load(String name) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(read(name + "/fixture.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : required(p, name, "files").split(",")) {
            files.put(f.strip(), read(name + "/" + f.strip()));
        }
        return new Fixture(
                name,
                required(p, name, "language"),
                required(p, name, "task"),
                required(p, name, "test"),
                files,
                required(p, name, "fix.path"),
                required(p, name, "fix.old"),
                required(p, name, "fix.new"));
    }

    private static String required(Properties p, String fixture, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("gate fixture " + fixture + " has no " + key);
        }
        return v.strip();
    }

    private static String read(String path) {
        try (InputStream in = GateFixtures.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("gate fixture file missing: " + ROOT + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
