package dev.drydock.cli.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A minimal blocking SSE client over a plain socket (HTTP/1.1, chunked), one per virtual thread, so
 * that the benchmark measures the server and not a client library's shared selector thread.
 */
final class SseClient {
    private SseClient() {}

    /** Reads lines of the stream at {@code path} and hands each to {@code line} until it returns false or the stream ends. */
    static void read(int port, String path, Predicate<String> line) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            boolean chunked = false;
            String header;
            while (!(header = rawLine(in)).isEmpty()) {
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding:")
                        && header.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            while (true) {
                byte[] data;
                if (chunked) {
                    String size = rawLine(in).strip();
                    int n = Integer.parseInt(size.contains(";") ? size.substring(0, size.indexOf(';')) : size, 16);
                    if (n == 0) {
                        return;
                    }
                    data = in.readNBytes(n);
                    rawLine(in);
                } else {
                    data = new byte[8192];
                    int n = in.read(data);
                    if (n < 0) {
                        return;
                    }
                    data = java.util.Arrays.copyOf(data, n);
                }
                for (byte b : data) {
                    if (b == '\n') {
                        if (!line.test(pending.toString(StandardCharsets.UTF_8))) {
                            return;
                        }
                        pending.reset();
                    } else {
                        pending.write(b);
                    }
                }
            }
        }
    }

    private static String rawLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c < 0 && b.isEmpty()) {
            throw new IOException("connection closed");
        }
        return b.toString();
    }
}
