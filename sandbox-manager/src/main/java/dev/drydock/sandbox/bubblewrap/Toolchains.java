package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Node and Python versions a repository asks for in its {@code .drydock/rules.md} ({@code node: 20},
 * {@code python: 3.11}), chosen among the host's toolchains under {@code /usr} (the only host tree a
 * sandbox sees) and put first on the sandbox's {@code PATH} as links in {@code ~/.drydock/bin}. A
 * version the host does not have fails the sandbox's creation with the versions it has and what to
 * install, rather than a build that fails later for a reason the model cannot fix.
 */
final class Toolchains {
    /** The folder in the sandbox home that holds the chosen toolchains' links; first on {@code PATH}. */
    static final String BIN = BuildEnvironment.HOME + "/.drydock/bin";

    private static final Pattern NODE_RULE =
            Pattern.compile("(?im)^\\s*[-*]?\\s*node(?:js)?\\s*:\\s*`?v?(\\d+(?:\\.\\d+){0,2})`?\\s*$");
    private static final Pattern PYTHON_RULE =
            Pattern.compile("(?im)^\\s*[-*]?\\s*python3?\\s*:\\s*`?(\\d+(?:\\.\\d+){0,2})`?\\s*$");
    private static final Pattern NODE_VERSION = Pattern.compile("^v(\\d+\\.\\d+\\.\\d+)\\s*$");
    private static final Pattern PYTHON_BINARY = Pattern.compile("python(3\\.\\d+)");
    /** {@code node --version} of a binary, by path and modification time: asked once per install. */
    private static final Map<String, Optional<String>> NODE_VERSIONS = new ConcurrentHashMap<>();

    /** The versions asked for; empty when the rules name none. */
    record Wanted(Optional<String> node, Optional<String> python) {
        static final Wanted NONE = new Wanted(Optional.empty(), Optional.empty());

        boolean any() {
            return node.isPresent() || python.isPresent();
        }
    }

    private Toolchains() {}

    /** The Node and Python rules of a rules file's text. */
    static Wanted wanted(String rules) {
        return new Wanted(first(NODE_RULE, rules), first(PYTHON_RULE, rules));
    }

    /**
     * Links the wanted toolchains into {@code home}'s {@code .drydock/bin}; does nothing when none is
     * wanted.
     *
     * @param usr the host's {@code /usr} (a parameter for tests)
     * @throws SandboxException when the host has no toolchain of a wanted version
     */
    static void link(Wanted wanted, Path home, Path usr) {
        if (!wanted.any()) {
            return;
        }
        Map<String, Path> links = new LinkedHashMap<>();
        wanted.node().ifPresent(v -> {
            Path node = choose(
                    "Node",
                    "node",
                    v,
                    nodes(usr),
                    "install Node " + v
                            + " under " + usr.resolve("local") + " (for example the official tarball unpacked in "
                            + usr.resolve("local/lib/nodejs") + ")");
            Path bin = java.util.Objects.requireNonNull(node.getParent(), "a node binary is in a folder");
            links.put("node", node);
            for (String tool : List.of("npm", "npx", "corepack")) {
                Path t = bin.resolve(tool);
                if (Files.isExecutable(t)) {
                    links.put(tool, t);
                }
            }
        });
        wanted.python().ifPresent(v -> {
            Path python = choose(
                    "Python",
                    "python",
                    v,
                    pythons(usr),
                    "install Python " + v + " (Debian: apt-get install python" + v + ")");
            links.put("python", python);
            links.put("python3", python);
        });
        Path dir = home.resolve(".drydock/bin");
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Path> l : links.entrySet()) {
                // the link's target is the same path inside the sandbox, where the host's /usr is bound read-only
                Files.createSymbolicLink(
                        dir.resolve(l.getKey()), Path.of("/usr").resolve(usr.relativize(l.getValue())));
            }
            Path python = links.get("python");
            if (python != null) {
                Path target = Path.of("/usr").resolve(usr.relativize(python));
                for (String pip : List.of("pip", "pip3")) {
                    Path script = dir.resolve(pip);
                    Files.writeString(script, "#!/bin/sh\nexec " + target + " -m pip \"$@\"\n", StandardCharsets.UTF_8);
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new SandboxException(
                    "cannot link the repository's toolchains into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Node binaries under {@code usr} by full version ({@code 20.19.2}); the first found of a version wins. */
    static Map<String, Path> nodes(Path usr) {
        List<Path> candidates = new ArrayList<>(List.of(usr.resolve("local/bin/node"), usr.resolve("bin/node")));
        for (String root : List.of("local/lib/nodejs", "local/node", "lib/nodejs")) {
            try (Stream<Path> dirs = Files.list(usr.resolve(root))) {
                dirs.sorted().forEach(d -> candidates.add(d.resolve("bin/node")));
            } catch (IOException | RuntimeException e) {
                // no such folder: nothing installed there
            }
        }
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                nodeVersion(c).ifPresent(v -> found.putIfAbsent(v, c));
            }
        }
        return found;
    }

    /** Python interpreters under {@code usr}'s {@code bin} and {@code local/bin} by version ({@code 3.11}). */
    static Map<String, Path> pythons(Path usr) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path bin : List.of(usr.resolve("local/bin"), usr.resolve("bin"))) {
            try (Stream<Path> files = Files.list(bin)) {
                for (Path f : files.sorted().toList()) {
                    Matcher m = PYTHON_BINARY.matcher(f.getFileName().toString());
                    if (m.matches() && Files.isExecutable(f)) {
                        found.putIfAbsent(m.group(1), f);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such folder
            }
        }
        return found;
    }

    /** True when {@code version} is {@code wanted} or starts with it at a dot ({@code 20} matches {@code 20.19.2}). */
    static boolean matches(String wanted, String version) {
        return version.equals(wanted) || version.startsWith(wanted + ".");
    }

    private static Path choose(String name, String rule, String wanted, Map<String, Path> installed, String advice) {
        for (Map.Entry<String, Path> e : installed.entrySet()) {
            if (matches(wanted, e.getKey())) {
                return e.getValue();
            }
        }
        List<String> has = installed.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .toList();
        throw new SandboxException("the repository asks for " + name + " " + wanted + " (`" + rule + ": " + wanted
                + "` in .drydock/rules.md), and this host has "
                + (has.isEmpty() ? "no " + name : name + " " + String.join(", ", has)) + ": " + advice
                + ", or change the rule");
    }

    private static Optional<String> nodeVersion(Path node) {
        String key;
        try {
            key = node.toRealPath() + "@" + Files.getLastModifiedTime(node).toMillis();
        } catch (IOException e) {
            return Optional.empty();
        }
        return NODE_VERSIONS.computeIfAbsent(key, k -> askVersion(node));
    }

    private static Optional<String> askVersion(Path node) {
        try {
            Process p = new ProcessBuilder(node.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(200);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Matcher m = NODE_VERSION.matcher(new String(out, StandardCharsets.UTF_8));
            return p.exitValue() == 0 && m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> first(Pattern rule, String text) {
        Matcher m = rule.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
