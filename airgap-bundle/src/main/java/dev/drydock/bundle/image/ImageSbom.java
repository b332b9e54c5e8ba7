package dev.drydock.bundle.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A CycloneDX 1.5 SBOM of a built image, read from the image itself (its OCI layout), so it holds for any
 * base: every Debian package the image's {@code /var/lib/dpkg/status} lists as installed, every jar in
 * the image (Maven coordinates from its {@code pom.properties}, SHA-256 of the file), and each Java runtime
 * (its {@code release} file). No timestamp: the same image gives the same SBOM.
 */
public final class ImageSbom {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ImageSbom() {}

    /** Writes the SBOM of the image in {@code built.layout()} to {@code out}. */
    public static JsonNode write(ImageBuilder.Built built, String tag, Path out) throws IOException {
        JsonNode sbom = of(built, tag);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, (JSON.writeValueAsString(sbom) + "\n").getBytes(StandardCharsets.UTF_8));
        return sbom;
    }

    /** The SBOM of the image in {@code built.layout()}. */
    public static JsonNode of(ImageBuilder.Built built, String tag) throws IOException {
        Map<String, ObjectNode> components = new TreeMap<>();
        Map<String, String> dpkgStatus = new TreeMap<>();
        Path blobs = built.layout().resolve("blobs/sha256");
        JsonNode manifest =
                JSON.readTree(blobs.resolve(built.digest().substring(7)).toFile());
        for (JsonNode layer : manifest.path("layers")) {
            Path blob = blobs.resolve(layer.path("digest").asText().substring(7));
            boolean gzip = layer.path("mediaType").asText().endsWith("gzip");
            try (InputStream raw = Files.newInputStream(blob);
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                    if (!e.isFile()) {
                        continue;
                    }
                    if (name.equals("var/lib/dpkg/status")) {
                        dpkgStatus.put(
                                "status",
                                new String(
                                        tar.readAllBytes(),
                                        StandardCharsets.UTF_8)); // a later layer's file replaces an earlier one's
                    } else if (name.endsWith(".jar")) {
                        ObjectNode c = jar(name, tar);
                        components.putIfAbsent("maven:" + c.path("bom-ref").asText(), c);
                    } else if (name.endsWith("/release") && name.startsWith("opt/java/")) {
                        ObjectNode c = javaRuntime(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                        components.put("java:" + name, c);
                    }
                }
            }
        }
        if (dpkgStatus.containsKey("status")) {
            for (ObjectNode c : debianPackages(dpkgStatus.get("status"))) {
                components.put("deb:" + c.path("bom-ref").asText(), c);
            }
        }
        ObjectNode bom = JSON.createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.5");
        bom.put(
                "serialNumber",
                "urn:uuid:" + UUID.nameUUIDFromBytes(built.digest().getBytes(StandardCharsets.UTF_8)));
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
        tool.put("type", "application");
        tool.put("name", "drydock bundle images");
        ObjectNode image = metadata.putObject("component");
        image.put("type", "container");
        image.put("bom-ref", built.repository() + "@" + built.digest());
        image.put("name", built.repository());
        image.put("version", tag);
        String simpleName = built.repository().substring(built.repository().lastIndexOf('/') + 1);
        image.put("purl", "pkg:oci/" + simpleName + "@" + built.digest().replace(":", "%3A") + "?tag=" + tag);
        image.putArray("hashes")
                .addObject()
                .put("alg", "SHA-256")
                .put("content", built.digest().substring(7));
        ArrayNode list = bom.putArray("components");
        components.values().forEach(list::add);
        return bom;
    }

    private static ObjectNode jar(String path, InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes(); // not closed: the caller's tar stream goes on
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Properties pom = null;
        try (JarInputStream jar = new JarInputStream(new java.io.ByteArrayInputStream(bytes))) {
            JarEntry e;
            while ((e = jar.getNextJarEntry()) != null) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    p.load(jar);
                    if (pom == null || path.contains(p.getProperty("artifactId", "\u0000"))) {
                        pom = p;
                    }
                }
            }
        } catch (IOException notAJar) {
            pom = null;
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("type", "library");
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (pom != null
                && pom.getProperty("groupId") != null
                && pom.getProperty("artifactId") != null
                && pom.getProperty("version") != null) {
            String g = pom.getProperty("groupId"), a = pom.getProperty("artifactId"), v = pom.getProperty("version");
            c.put("bom-ref", "pkg:maven/" + g + "/" + a + "@" + v + "#" + sha.substring(0, 12));
            c.put("group", g);
            c.put("name", a);
            c.put("version", v);
            c.put("purl", "pkg:maven/" + g + "/" + a + "@" + v + "?type=jar");
        } else {
            c.put("bom-ref", "file:/" + path);
            c.put("name", file);
        }
        c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", sha);
        fixProperties(c, "/" + path);
        return c;
    }

    private static void fixProperties(ObjectNode c, String path) {
        c.remove("properties");
        c.putArray("properties").addObject().put("name", "drydock:image:path").put("value", path);
    }

    private static ObjectNode javaRuntime(String path, String release) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(release));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("type", "platform");
        c.put("bom-ref", "java-runtime:/" + path);
        // jlink drops IMPLEMENTOR from the release file of the runtimes it links.
        c.put("name", p.getProperty("IMPLEMENTOR", "OpenJDK").replace("\"", "") + " Java runtime");
        c.put(
                "version",
                p.getProperty("JAVA_RUNTIME_VERSION", p.getProperty("JAVA_VERSION", ""))
                        .replace("\"", ""));
        String modules = p.getProperty("MODULES", "").replace("\"", "");
        fixProperties(c, "/" + path.substring(0, path.length() - "/release".length()));
        if (!modules.isEmpty()) {
            ((ArrayNode) c.path("properties"))
                    .addObject()
                    .put("name", "drydock:java:modules")
                    .put("value", modules);
        }
        return c;
    }

    /** Installed packages of a dpkg status file, as components with {@code pkg:deb/debian/…} purls. */
    static java.util.List<ObjectNode> debianPackages(String status) {
        java.util.List<ObjectNode> out = new java.util.ArrayList<>();
        for (String stanza : status.split("\n\n")) {
            Map<String, String> f = new TreeMap<>();
            for (String line : stanza.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith(" ")) {
                    f.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
            if (!f.containsKey("Package") || !f.getOrDefault("Status", "").endsWith(" installed")) {
                continue;
            }
            String name = f.get("Package"),
                    version = f.getOrDefault("Version", ""),
                    arch = f.getOrDefault("Architecture", "all");
            ObjectNode c = JSON.createObjectNode();
            c.put("type", "library");
            c.put("bom-ref", "pkg:deb/debian/" + name + "@" + version + "?arch=" + arch);
            c.put("name", name);
            c.put("version", version);
            c.put("purl", "pkg:deb/debian/" + name + "@" + version.replace(":", "%3A") + "?arch=" + arch);
            if (f.containsKey("Source")) {
                c.putArray("properties")
                        .addObject()
                        .put("name", "drydock:deb:source")
                        .put("value", f.get("Source"));
            }
            out.add(c);
        }
        return out;
    }
}
