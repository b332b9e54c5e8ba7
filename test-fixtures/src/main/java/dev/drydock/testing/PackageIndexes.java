package dev.drydock.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Test doubles of three repository managers on one loopback port, each speaking the protocol the real
 * ones speak (what Nexus, Artifactory, devpi and Athens serve), over content the test builds:
 *
 * <ul>
 *   <li>{@code /maven/}: a folder in Maven repository layout (this build's own local repository);
 *   <li>{@code /simple/}: a PyPI "simple" index (PEP 503) of wheels added with {@link #addWheel}, the
 *       files under {@code /files/} with their {@code sha256} in the link, as pip checks it;
 *   <li>{@code /go/}: a GOPROXY (the module proxy protocol: {@code @v/list}, {@code .info}, {@code
 *       .mod}, {@code .zip}) of modules added with {@link #addGoModule}.
 * </ul>
 *
 * Every request that found something is recorded ({@link #served}).
 */
public final class PackageIndexes implements AutoCloseable {
    private final HttpServer server;
    private final Path mavenRepository;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> wheels = new ConcurrentHashMap<>();
    private final List<String> served = new CopyOnWriteArrayList<>();

    private PackageIndexes(HttpServer server, Path mavenRepository) {
        this.server = server;
        this.mavenRepository = mavenRepository;
    }

    /** Starts on a free loopback port, the Maven part serving {@code mavenRepository}. */
    public static PackageIndexes start(Path mavenRepository) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        PackageIndexes p = new PackageIndexes(s, mavenRepository.toRealPath());
        s.createContext("/", p::handle);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return p;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Paths answered with content, in order. */
    public List<String> served() {
        return served;
    }

    /**
     * Adds a pure-Python wheel {@code name-version-py3-none-any.whl} holding the package {@code module}
     * with {@code source} as its {@code __init__.py}.
     */
    public void addWheel(String name, String version, String module, String source) throws IOException {
        String dist = name.replace('-', '_') + "-" + version;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(module + "/__init__.py", source.getBytes(StandardCharsets.UTF_8));
        entries.put(
                dist + ".dist-info/METADATA",
                ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        entries.put(
                dist + ".dist-info/WHEEL",
                "Wheel-Version: 1.0\nGenerator: drydock-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                        .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (var e : entries.entrySet()) {
            record.append(e.getKey())
                    .append(",sha256=")
                    .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(e.getValue())))
                    .append(',')
                    .append(e.getValue().length)
                    .append('\n');
        }
        record.append(dist).append(".dist-info/RECORD,,\n");
        entries.put(dist + ".dist-info/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        String file = dist + "-py3-none-any.whl";
        byte[] wheel = zip(entries);
        files.put("/files/" + file, wheel);
        wheels.computeIfAbsent(normalize(name), k -> new ConcurrentHashMap<>())
                .put(file, HexFormat.of().formatHex(sha256(wheel)));
    }

    /** Adds a Go module {@code path@version} whose module root holds {@code sources} (file name to content) and a go.mod. */
    public void addGoModule(String path, String version, Map<String, String> sources) throws IOException {
        String gomod = "module " + path + "\n\ngo 1.19\n";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(path + "@" + version + "/go.mod", gomod.getBytes(StandardCharsets.UTF_8));
        sources.forEach((f, c) -> entries.put(path + "@" + version + "/" + f, c.getBytes(StandardCharsets.UTF_8)));
        String base = "/go/" + path + "/@v/";
        files.put(base + "list", (version + "\n").getBytes(StandardCharsets.UTF_8));
        files.put(
                base + version + ".info",
                ("{\"Version\":\"" + version + "\",\"Time\":\"2026-01-01T00:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8));
        files.put(base + version + ".mod", gomod.getBytes(StandardCharsets.UTF_8));
        files.put(base + version + ".zip", zip(entries));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte @Nullable [] body = null;
            @Nullable Path file = null;
            if (path.startsWith("/maven/")) {
                Path f = mavenRepository
                        .resolve(path.substring("/maven/".length()))
                        .normalize();
                if (f.startsWith(mavenRepository)
                        && Files.isRegularFile(f)
                        && !f.getFileName().toString().startsWith("_")) {
                    file = f;
                }
            } else if (path.startsWith("/simple/")) {
                @Nullable
                Map<String, String> project =
                        wheels.get(normalize(path.substring("/simple/".length()).replace("/", "")));
                if (project != null) {
                    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><body>\n");
                    project.forEach((f, sha) -> html.append("<a href=\"/files/")
                            .append(f)
                            .append("#sha256=")
                            .append(sha)
                            .append("\">")
                            .append(f)
                            .append("</a>\n"));
                    body = html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
                }
            } else {
                body = files.get(path);
            }
            if (body == null && file == null) {
                byte[] b = "not found\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, b.length);
                exchange.getResponseBody().write(b);
                return;
            }
            served.add(path);
            if (path.startsWith("/simple/")) {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            long length = file != null ? Files.size(file) : java.util.Objects.requireNonNull(body).length;
            exchange.sendResponseHeaders(200, head ? -1 : length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    if (file != null) {
                        Files.copy(file, out);
                    } else {
                        out.write(java.util.Objects.requireNonNull(body));
                    }
                }
            }
        }
    }

    /** PEP 503 normalization: lower case, runs of {@code -_.} as one {@code -}. */
    static String normalize(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
