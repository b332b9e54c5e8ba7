package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The build environment of local sandboxes (ADR 0011): a writable home per sandbox at {@link #HOME},
 * the host user's Maven repository and Maven wrapper distributions read-only, and package-manager
 * settings generated into the home so the model never writes them:
 *
 * <ul>
 *   <li>Maven: {@code ~/.m2/settings.xml} (the host's settings without {@code <servers>}, plus a
 *       profile that adds the host repository as a {@code file://} repository) and {@code ~/.mavenrc}
 *       ({@code maven.repo.local} in the home, {@code maven.repo.local.tail} on the host repository for
 *       Maven 3.9+, {@code aether.offline.protocols=file} so {@code -o} still reads it);
 *   <li>npm: {@code ~/.npmrc} from the host's without credentials;
 *   <li>pip: {@code ~/.config/pip/pip.conf} from the host user's without credentials, and the host's
 *       {@code /etc/pip.conf} read-only;
 *   <li>the JDK: {@code JAVA_HOME} and {@code PATH} from {@code jdk: N} in the workspace's {@code
 *       .drydock/rules.md}, else the host's default {@code java};
 *   <li>Node and Python: {@code node: 20} and {@code python: 3.11} in the same file put the host's
 *       matching toolchain first on {@code PATH} ({@link Toolchains}).
 * </ul>
 *
 * When sandboxes run under their own host uids (the manager is root), the host user's files are not
 * theirs to read; the repository and wrapper folders are then shared as a tree of hard links with
 * world-readable folders under the work root, made once per backend.
 */
final class BuildEnvironment {
    /** The home inside the sandbox (also the home of the generated {@code passwd}). */
    static final String HOME = "/home/sandbox";
    /** Where the host's Maven repository appears, read-only. */
    static final String HOST_M2 = "/opt/drydock/host/m2-repository";
    /**
     * Host files under {@code /etc} bound read-only when present, beside the generated {@code /etc}:
     * Debian's Maven launcher configuration (its global {@code settings.xml}, which may hold
     * credentials, stays out: Maven runs without it) and the host's {@code pip.conf}.
     */
    static final List<String> ETC = List.of("maven/m2.conf", "maven/logging", "maven/toolchains.xml", "pip.conf");

    private static final Pattern JDK_RULE = Pattern.compile("(?im)^\\s*[-*]?\\s*(?:jdk|java)\\s*:\\s*`?(\\d+)`?\\s*$");
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(://)[^/@\\s]+@");
    private static final Pattern NPM_SECRET = Pattern.compile(
            "(?i)^\\s*(?://[^=]*:)?_?(auth|authToken|password|username|email|certfile|keyfile)\\s*=.*$");
    private static final long MAX_RULES = 64 * 1024;

    /**
     * What the host offers, found once per backend.
     *
     * @param m2Repository the host's Maven repository as sandboxes can read it
     * @param m2Wrapper the host's Maven wrapper distributions as sandboxes can read them
     * @param mavenSettings the host user's {@code settings.xml}, if any
     * @param npmrc the host user's {@code .npmrc}, if any
     * @param pipConf the host user's {@code pip.conf}, if any
     */
    record HostCaches(
            Optional<Path> m2Repository,
            Optional<Path> m2Wrapper,
            Optional<String> mavenSettings,
            Optional<String> npmrc,
            Optional<String> pipConf) {
        static final HostCaches NONE = new HostCaches(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * One sandbox's environment: binds after the workspace and variables before the request's.
     *
     * @param binds the home (read-write) then the host caches (read-only)
     * @param env {@code HOME}, and {@code JAVA_HOME} with {@code PATH} when a JDK was chosen
     */
    record Prepared(List<BwrapCommand.Bind> binds, Map<String, String> env) {}

    private BuildEnvironment() {}

    /**
     * Finds the host user's caches and settings under {@code userHome}. With {@code shareDir}, the
     * folders are shared as hard-link trees there (for sandboxes under other uids).
     */
    static HostCaches discover(Path userHome, Optional<Path> shareDir) {
        Path m2 = userHome.resolve(".m2");
        Optional<Path> repo = dir(m2.resolve("repository"));
        Optional<Path> wrapper = dir(m2.resolve("wrapper"));
        if (shareDir.isPresent()) {
            repo = repo.map(r -> linkTree(r, shareDir.get().resolve("m2-repository")));
            wrapper = wrapper.map(w -> linkTree(w, shareDir.get().resolve("m2-wrapper")));
        }
        return new HostCaches(
                repo,
                wrapper,
                text(m2.resolve("settings.xml")),
                text(userHome.resolve(".npmrc")),
                text(userHome.resolve(".config/pip/pip.conf")).or(() -> text(userHome.resolve(".pip/pip.conf"))));
    }

    /**
     * Writes the home's generated files into {@code home} (a host folder, bound at {@link #HOME}) and
     * returns the sandbox's binds and variables.
     *
     * @param caches what the host offers ({@link HostCaches#NONE} when host caches are off)
     * @param workspace the filled workspace, read for the JDK rule
     * @param jvmRoot where JDKs are installed ({@code /usr/lib/jvm})
     * @throws SandboxException when the repository asks for a JDK the host does not have
     */
    static Prepared prepare(Path home, HostCaches caches, Path workspace, Path jvmRoot) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", HOME);
        Optional<Path> jdk = jdk(workspace, jvmRoot);
        Toolchains.Wanted toolchains = rules(workspace).map(Toolchains::wanted).orElse(Toolchains.Wanted.NONE);
        Toolchains.link(toolchains, home, Path.of("/usr"));
        jdk.ifPresent(j -> env.put("JAVA_HOME", j.toString()));
        if (jdk.isPresent() || toolchains.any()) {
            env.put(
                    "PATH",
                    (toolchains.any() ? Toolchains.BIN + ":" : "")
                            + jdk.map(j -> j.resolve("bin") + ":").orElse("")
                            + "/usr/local/bin:/usr/bin:/bin");
        }
        List<BwrapCommand.Bind> binds = new ArrayList<>();
        binds.add(new BwrapCommand.Bind(home.toString(), HOME, true, false));
        try {
            Files.createDirectories(home.resolve(".m2"));
            Files.writeString(
                    home.resolve(".m2/settings.xml"),
                    mavenSettings(caches.mavenSettings(), caches.m2Repository().isPresent()));
            Files.writeString(
                    home.resolve(".mavenrc"), mavenrc(caches.m2Repository().isPresent(), jdk));
            caches.npmrc().ifPresent(n -> write(home.resolve(".npmrc"), npmrc(n)));
            caches.pipConf().ifPresent(p -> write(home.resolve(".config/pip/pip.conf"), withoutUrlCredentials(p)));
            if (caches.m2Wrapper().isPresent()) {
                Files.createDirectories(home.resolve(".m2/wrapper"));
            }
        } catch (IOException e) {
            throw new SandboxException("cannot write the sandbox home " + home + ": " + e.getMessage(), e);
        }
        caches.m2Repository().ifPresent(r -> binds.add(new BwrapCommand.Bind(r.toString(), HOST_M2, false, false)));
        caches.m2Wrapper()
                .ifPresent(w -> binds.add(new BwrapCommand.Bind(w.toString(), HOME + "/.m2/wrapper", false, false)));
        for (String f : ETC) {
            binds.add(new BwrapCommand.Bind("/etc/" + f, "/etc/" + f, false, true));
        }
        return new Prepared(List.copyOf(binds), Map.copyOf(env));
    }

    /** The JDK for the workspace's {@code jdk: N} rule; empty without a rule (then {@code java} on {@code PATH}, the host's default, serves). */
    static Optional<Path> jdk(Path workspace, Path jvmRoot) {
        Optional<Integer> wanted = rulesJdk(workspace);
        Map<Integer, Path> jdks = jdks(jvmRoot);
        if (wanted.isPresent()) {
            Path found = jdks.get(wanted.get());
            if (found == null) {
                throw new SandboxException("the repository asks for JDK " + wanted.get() + " (`jdk: " + wanted.get()
                        + "` in .drydock/rules.md), and this host has "
                        + (jdks.isEmpty()
                                ? "no JDK"
                                : "JDK "
                                        + String.join(
                                                ", ",
                                                jdks.keySet().stream()
                                                        .map(String::valueOf)
                                                        .toList()))
                        + " under " + jvmRoot + ": install JDK " + wanted.get()
                        + " there (Debian: apt-get install openjdk-" + wanted.get()
                        + "-jdk-headless), or change the rule");
            }
            return Optional.of(found);
        }
        return Optional.empty();
    }

    /** The JDKs under {@code jvmRoot} by major version (folders with {@code release} and {@code bin/javac}); the first by name wins. */
    static Map<Integer, Path> jdks(Path jvmRoot) {
        Map<Integer, Path> found = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(jvmRoot)) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isSymbolicLink(d)
                        || !Files.isExecutable(d.resolve("bin/javac"))
                        || !Files.isRegularFile(d.resolve("release"))) {
                    continue;
                }
                Matcher m = JAVA_VERSION.matcher(Files.readString(d.resolve("release")));
                if (m.find()) {
                    found.putIfAbsent(Integer.parseInt(m.group(1)), d);
                }
            }
        } catch (IOException | RuntimeException e) {
            return found;
        }
        return found;
    }

    /** {@code jdk: N} from the workspace's {@code .drydock/rules.md} (a regular file, never followed through a link). */
    static Optional<Integer> rulesJdk(Path workspace) {
        return rules(workspace).flatMap(text -> {
            Matcher m = JDK_RULE.matcher(text);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        });
    }

    /** The workspace's {@code .drydock/rules.md} (a regular file of at most 64 KiB, never followed through a link). */
    static Optional<String> rules(Path workspace) {
        Path rules = workspace.resolve(".drydock/rules.md");
        try {
            if (Files.isSymbolicLink(workspace.resolve(".drydock"))
                    || !Files.isRegularFile(rules, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(rules) > MAX_RULES) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(rules, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code .mavenrc}: sourced by the {@code mvn} script of every Maven (also the one {@code mvnw} starts). */
    static String mavenrc(boolean hostRepository, Optional<Path> jdk) {
        StringBuilder opts =
                new StringBuilder("-Duser.home=" + HOME + " -Dmaven.repo.local=" + HOME + "/.m2/repository");
        if (hostRepository) {
            opts.append(" -Dmaven.repo.local.tail=" + HOST_M2 + " -Daether.offline.protocols=file");
        }
        StringBuilder rc = new StringBuilder("# generated by Drydock for this sandbox\n");
        jdk.ifPresent(j -> rc.append("JAVA_HOME='").append(j).append("'\n"));
        rc.append("MAVEN_OPTS=\"").append(opts).append(" ${MAVEN_OPTS:-}\"\n");
        return rc.toString();
    }

    /**
     * The sandbox's {@code settings.xml}: the host user's settings without credentials ({@code
     * <servers>}, {@code <proxies>}, credentials in URLs) nor local repository, mirrors excluding the host repository, plus an active profile
     * declaring the host repository as a {@code file://} repository (Maven before 3.9 has no tail).
     */
    static String mavenSettings(Optional<String> host, boolean hostRepository) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            Document doc;
            if (host.isPresent()) {
                doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(host.get())));
            } else {
                doc = f.newDocumentBuilder().newDocument();
                doc.appendChild(doc.createElement("settings"));
            }
            Element settings = doc.getDocumentElement();
            for (String drop : List.of("servers", "proxies", "localRepository")) {
                for (Element e : children(settings, drop)) {
                    settings.removeChild(e);
                }
            }
            if (hostRepository) {
                for (Element mirrors : children(settings, "mirrors")) {
                    for (Element mirror : children(mirrors, "mirror")) {
                        for (Element of : children(mirror, "mirrorOf")) {
                            of.setTextContent(of.getTextContent().strip() + ",!drydock-host");
                        }
                    }
                }
                Element profiles = children(settings, "profiles").stream()
                        .findFirst()
                        .orElseGet(() -> (Element) settings.appendChild(doc.createElement("profiles")));
                Element profile = (Element) profiles.appendChild(doc.createElement("profile"));
                add(doc, profile, "id", "drydock-host");
                profile.appendChild(repository(doc, "repositories", "repository"));
                profile.appendChild(repository(doc, "pluginRepositories", "pluginRepository"));
                Element active = children(settings, "activeProfiles").stream()
                        .findFirst()
                        .orElseGet(() -> (Element) settings.appendChild(doc.createElement("activeProfiles")));
                add(doc, active, "activeProfile", "drydock-host");
            }
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return withoutUrlCredentials(out.toString());
        } catch (Exception e) {
            throw new SandboxException("cannot read the host's Maven settings.xml: " + e.getMessage(), e);
        }
    }

    private static Element repository(Document doc, String list, String item) {
        Element l = doc.createElement(list);
        Element r = (Element) l.appendChild(doc.createElement(item));
        add(doc, r, "id", "drydock-host");
        add(doc, r, "url", "file://" + HOST_M2);
        Element releases = (Element) r.appendChild(doc.createElement("releases"));
        add(doc, releases, "updatePolicy", "never");
        add(doc, releases, "checksumPolicy", "ignore");
        Element snapshots = (Element) r.appendChild(doc.createElement("snapshots"));
        add(doc, snapshots, "updatePolicy", "never");
        return l;
    }

    private static void add(Document doc, Element parent, String name, String text) {
        parent.appendChild(doc.createElement(name)).setTextContent(text);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE
                    && nodes.item(i).getNodeName().equals(name)) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    /** The host's {@code .npmrc} without credentials (tokens, passwords, client keys). */
    static String npmrc(String host) {
        StringBuilder out = new StringBuilder();
        for (String line : host.split("\n", -1)) {
            if (!NPM_SECRET.matcher(line).matches()) {
                out.append(withoutUrlCredentials(line)).append('\n');
            }
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** {@code https://user:secret@host/…} → {@code https://host/…}. */
    static String withoutUrlCredentials(String text) {
        return URL_CREDENTIALS.matcher(text).replaceAll("$1");
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> dir(Path p) {
        return Files.isDirectory(p) && Files.isReadable(p) ? Optional.of(p) : Optional.empty();
    }

    private static Optional<String> text(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) <= MAX_RULES
                    ? Optional.of(Files.readString(p))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A copy of {@code source} under {@code target} made of hard links to its world-readable files,
     * in folders every uid may read; files others may not read are left out. Replaces an earlier tree.
     */
    static Path linkTree(Path source, Path target) {
        Set<PosixFilePermission> open = PosixFilePermissions.fromString("rwxr-xr-x");
        try {
            BubblewrapSandbox.deleteTree(target);
            Files.createDirectories(target.getParent());
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Path t = target.resolve(source.relativize(d).toString());
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, open);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()
                            && Files.getPosixFilePermissions(f).contains(PosixFilePermission.OTHERS_READ)) {
                        Path t = target.resolve(source.relativize(f).toString());
                        try {
                            Files.createLink(t, f);
                        } catch (IOException | UnsupportedOperationException e) {
                            Files.copy(f, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            return target;
        } catch (IOException e) {
            throw new SandboxException(
                    "cannot share the host cache " + source + " with sandboxes: " + e.getMessage(), e);
        }
    }
}
