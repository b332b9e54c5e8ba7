package dev.drydock.sandbox.bubblewrap;

import dev.drydock.sandbox.MirrorLog;
import dev.drydock.sandbox.MirrorLog.MirrorRequest;
import dev.drydock.sandbox.PackageMirror;
import dev.drydock.sandbox.SandboxException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forwarding proxy of one local sandbox that may reach package mirrors (ADR 0011): an HTTP proxy
 * on a Unix socket in the sandbox's folder, bound into the sandbox at {@link #SOCKET}, where the
 * {@code forward.pl} forwarder every command starts with copies {@code 127.0.0.1:3128} to it (the
 * sandbox keeps no network of its own). It allows exactly the mirrors' {@code host:port}: {@code
 * CONNECT} for https and absolute-URI requests for http (each answered with {@code Connection: close},
 * so every request is its own connection and is recorded). Anything else gets a 403 naming the
 * allowed mirrors. Every request and refusal goes to the {@link MirrorLog}, without headers or bodies.
 */
final class MirrorProxy implements AutoCloseable {
    /** The proxy socket inside the sandbox. */
    static final String SOCKET = "/run/drydock/proxy.sock";
    /** The forwarder script inside the sandbox. */
    static final String FORWARDER = "/run/drydock/forward.pl";
    /** The address package managers in the sandbox use as their proxy. */
    static final String ADDRESS = "http://127.0.0.1:3128";

    private static final int MAX_HEAD = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]{3,10}) (\\S+) HTTP/1\\.[01]");

    private final ServerSocketChannel server;
    private final Path socket;
    private final Map<String, PackageMirror> allowed = new LinkedHashMap<>();
    private final MirrorLog log;
    private final String sandboxId;
    private final String sessionId;
    private final String workspaceId;
    private volatile boolean setup;
    private volatile boolean closed;

    private MirrorProxy(
            ServerSocketChannel server,
            Path socket,
            List<PackageMirror> mirrors,
            MirrorLog log,
            String sandboxId,
            String sessionId,
            String workspaceId) {
        this.server = server;
        this.socket = socket;
        this.log = log;
        this.sandboxId = sandboxId;
        this.sessionId = sessionId;
        this.workspaceId = workspaceId;
        for (PackageMirror m : mirrors) {
            allowed.putIfAbsent(m.authority(), m);
        }
    }

    /** Listens on {@code socket} (owned by {@code uid} when given) and serves until {@link #close()}. */
    static MirrorProxy start(
            Path socket,
            OptionalInt uid,
            List<PackageMirror> mirrors,
            MirrorLog log,
            String sandboxId,
            String sessionId,
            String workspaceId) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            if (uid.isPresent()) {
                Files.setAttribute(socket, "unix:uid", uid.getAsInt(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(socket, "unix:gid", uid.getAsInt(), LinkOption.NOFOLLOW_LINKS);
            }
            MirrorProxy proxy = new MirrorProxy(server, socket, mirrors, log, sandboxId, sessionId, workspaceId);
            Thread.ofVirtual().name("mirror-proxy-" + sandboxId).start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new SandboxException(
                    "cannot start the mirror proxy of sandbox " + sandboxId + " on " + socket + ": " + e.getMessage(),
                    e);
        }
    }

    /** Host socket path. */
    Path socket() {
        return socket;
    }

    /** Marks the requests that follow as the setup step's (or the droid's, after it). */
    void setup(boolean running) {
        this.setup = running;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("mirror-proxy-conn-" + sandboxId).start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    closeQuietly(server);
                }
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);
            int end = -1;
            while (end < 0) {
                if (!head.hasRemaining() || client.read(head) < 0) {
                    if (head.position() > 0) {
                        answer(
                                client,
                                400,
                                "Bad Request",
                                "drydock mirror proxy: incomplete or oversized request head\n");
                    }
                    return;
                }
                end = headEnd(head);
            }
            String text = new String(head.array(), 0, end, StandardCharsets.ISO_8859_1);
            ByteBuffer rest = ByteBuffer.wrap(head.array(), end, head.position() - end);
            String[] lines = text.split("\r\n");
            Matcher m = REQUEST_LINE.matcher(lines[0]);
            if (!m.matches()) {
                answer(client, 400, "Bad Request", "drydock mirror proxy: not an HTTP/1.x request\n");
                return;
            }
            String method = m.group(1);
            String target = m.group(2);
            if (method.equals("CONNECT")) {
                connect(client, target, rest);
            } else {
                forward(client, method, target, lines, rest);
            }
        } catch (IOException | RuntimeException e) {
            // the client or the mirror went away; nothing to report to either
        }
    }

    private void connect(SocketChannel client, String authority, ByteBuffer rest) throws IOException {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0 || !authority.substring(colon + 1).matches("\\d{1,5}")) {
            answer(client, 400, "Bad Request", "drydock mirror proxy: CONNECT needs host:port\n");
            return;
        }
        String host = authority.substring(0, colon).toLowerCase(Locale.ROOT);
        int port = Integer.parseInt(authority.substring(colon + 1));
        PackageMirror mirror = allowed.get(host + ":" + port);
        record("CONNECT", host + ":" + port, mirror);
        if (mirror == null) {
            refuse(client, host + ":" + port);
            return;
        }
        try (SocketChannel upstream = open(host, port)) {
            write(client, "HTTP/1.1 200 Connection established\r\n\r\n");
            relay(client, upstream, rest, false);
        } catch (IOException e) {
            answer(client, 502, "Bad Gateway", "drydock mirror proxy: cannot reach " + host + ":" + port + "\n");
        }
    }

    private void forward(SocketChannel client, String method, String target, String[] lines, ByteBuffer rest)
            throws IOException {
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            answer(client, 400, "Bad Request", "drydock mirror proxy: not a URL: " + target + "\n");
            return;
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            answer(
                    client,
                    400,
                    "Bad Request",
                    "drydock mirror proxy: expected an absolute http:// URL or CONNECT, got " + target + "\n");
            return;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        PackageMirror mirror = allowed.get(host + ":" + port);
        record(
                method,
                "http://" + host + ":" + port
                        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()),
                mirror);
        if (mirror == null) {
            refuse(client, host + ":" + port);
            return;
        }
        StringBuilder out = new StringBuilder();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        out.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].contains(":")
                    ? lines[i].substring(0, lines[i].indexOf(':')).strip().toLowerCase(Locale.ROOT)
                    : "";
            if (!List.of("proxy-connection", "proxy-authorization", "connection", "keep-alive")
                            .contains(name)
                    && !lines[i].isEmpty()) {
                out.append(lines[i]).append("\r\n");
            }
        }
        out.append("Connection: close\r\n\r\n");
        try (SocketChannel upstream = open(host, port)) {
            write(upstream, out.toString());
            relay(client, upstream, rest, true);
        } catch (IOException e) {
            answer(client, 502, "Bad Gateway", "drydock mirror proxy: cannot reach " + host + ":" + port + "\n");
        }
    }

    private void record(String method, String target, @org.jspecify.annotations.Nullable PackageMirror mirror) {
        try {
            log.record(new MirrorRequest(
                    sandboxId,
                    sessionId,
                    workspaceId,
                    method,
                    target,
                    mirror == null ? "" : mirror.name(),
                    mirror != null,
                    setup));
        } catch (RuntimeException e) {
            // a failing log must not take the proxy down
        }
    }

    private void refuse(SocketChannel client, String authority) throws IOException {
        answer(
                client,
                403,
                "Forbidden",
                "drydock: " + authority + " is not a package mirror this workspace allows; allowed: "
                        + (allowed.isEmpty() ? "none" : String.join(", ", allowed.keySet()))
                        + ". The request was recorded.\n");
    }

    private static SocketChannel open(String host, int port) throws IOException {
        SocketChannel upstream = SocketChannel.open();
        upstream.socket().connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
        return upstream;
    }

    /**
     * Copies both ways until both sides are done. With {@code closeResponse}, the response head gets
     * {@code Connection: close} (the mirror closes after one response, and a client that kept the
     * connection for another request would find it gone).
     */
    private void relay(SocketChannel client, SocketChannel upstream, ByteBuffer rest, boolean closeResponse)
            throws IOException {
        while (rest.hasRemaining()) {
            upstream.write(rest);
        }
        Thread up = Thread.ofVirtual().name("mirror-proxy-up-" + sandboxId).start(() -> copy(client, upstream));
        if (closeResponse) {
            ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);
            int end = -1;
            while (end < 0 && head.hasRemaining() && upstream.read(head) >= 0) {
                end = headEnd(head);
            }
            if (end < 0) {
                head.flip();
                while (head.hasRemaining()) {
                    client.write(head);
                }
            } else {
                StringBuilder h = new StringBuilder();
                for (String line : new String(head.array(), 0, end, StandardCharsets.ISO_8859_1).split("\r\n")) {
                    String name = line.contains(":")
                            ? line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT)
                            : "";
                    if (!line.isEmpty()
                            && !name.equals("connection")
                            && !name.equals("keep-alive")
                            && !name.equals("proxy-connection")) {
                        h.append(line).append("\r\n");
                    }
                }
                h.append("Connection: close\r\n\r\n");
                ByteBuffer b = ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1));
                while (b.hasRemaining()) {
                    client.write(b);
                }
                ByteBuffer body = ByteBuffer.wrap(head.array(), end, head.position() - end);
                while (body.hasRemaining()) {
                    client.write(body);
                }
            }
        }
        copy(upstream, client);
        try {
            up.join(Duration.ofMinutes(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void answer(SocketChannel client, int status, String reason, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        write(
                client,
                "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + b.length + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static int headEnd(ByteBuffer head) {
        byte[] a = head.array();
        for (int i = 3; i < head.position(); i++) {
            if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the sandbox folder is deleted next
        }
    }
}
