package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The {@code /etc} a local sandbox sees: a few generated files that describe the sandbox itself
 * (its user {@value BwrapCommand#SANDBOX_UID}, loopback-only hosts, files-only name service), plus
 * read-only binds of the host entries that tools need and that hold no host secret or identity: the
 * CA certificates, Debian's {@code alternatives} symbolic links (without them {@code awk}, {@code cc},
 * {@code java} … do not resolve), the dynamic linker's cache and configuration, the time zone, the
 * static {@code services}/{@code protocols} tables and Debian's OpenJDK configuration. Nothing else of the host's {@code /etc}
 * ({@code shadow}, {@code hostname}, {@code machine-id}, SSH keys, …) exists inside.
 */
final class SandboxEtc {
    /** Files written by the manager, bound at {@code /etc/<name>}. */
    static final List<String> GENERATED = List.of("passwd", "group", "hosts", "hostname", "nsswitch.conf");

    /** Host entries bound read-only at the same path when they exist. */
    static final List<String> FIXED_FROM_HOST = List.of(
            "ssl/certs",
            "pki/tls/certs",
            "pki/ca-trust/extracted",
            "ca-certificates",
            "alternatives",
            "ld.so.cache",
            "ld.so.conf",
            "ld.so.conf.d",
            "localtime",
            "services",
            "protocols");

    /**
     * {@link #FIXED_FROM_HOST} plus the configuration folders of Debian's OpenJDK packages ({@code
     * /etc/java-21-openjdk}, …): their {@code conf} and {@code lib/security} are links into them, so
     * a JDK installed that way does not start without them. Listed once, when the class loads.
     */
    static final List<String> FROM_HOST = withJdkConfigs(Path.of("/etc"));

    static List<String> withJdkConfigs(Path etc) {
        List<String> entries = new java.util.ArrayList<>(FIXED_FROM_HOST);
        try (java.util.stream.Stream<Path> list = Files.list(etc)) {
            list.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("java-\\d+-openjdk"))
                    .sorted()
                    .forEach(entries::add);
        } catch (IOException e) {
            // no /etc to look at: the fixed entries only
        }
        return List.copyOf(entries);
    }

    private SandboxEtc() {}

    /** The generated files' contents. */
    static Map<String, String> contents() {
        int id = BwrapCommand.SANDBOX_UID;
        return Map.of(
                "passwd",
                "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n"
                        + "sandbox:x:" + id + ":" + id + ":sandbox:" + BuildEnvironment.HOME + ":/bin/sh\n"
                        + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
                "group",
                "root:x:0:\nsandbox:x:" + id + ":\nnogroup:x:65534:\n",
                "hosts",
                "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n",
                "hostname",
                "sandbox\n",
                "nsswitch.conf",
                "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n");
    }

    /** Writes the generated files into {@code dir} (created 0755, files 0644, replaced atomically). */
    static Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Map.Entry<String, String> f : contents().entrySet()) {
                Path tmp = Files.createTempFile(dir, f.getKey(), ".tmp");
                Files.writeString(tmp, f.getValue(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(
                        tmp,
                        dir.resolve(f.getKey()),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            return dir;
        } catch (IOException e) {
            throw new SandboxException("cannot write the sandbox /etc files in " + dir + ": " + e.getMessage(), e);
        }
    }
}
