package dev.drydock.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A real MCP peer for tests, written by nobody here: {@code @modelcontextprotocol/server-everything}
 * 2026.8.31 from npm (the protocol's reference test server, tools such as {@code echo} and {@code
 * get-sum}), installed once with npm into {@code ~/.cache/drydock/mcp-server-everything-2026.8.31}
 * (outside the repository, as {@link Verdaccio} is). {@link #startHttp} runs its Streamable HTTP mode
 * on a free loopback port; {@link #installed()} is the folder whose {@code node_modules} a stdio test
 * copies where its sandbox can run {@code node node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio}.
 */
public final class ServerEverything implements AutoCloseable {
    public static final String VERSION = "2026.8.31";
    /** The entry point relative to the install folder. */
    public static final String ENTRY = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";

    private final Process process;
    private final int port;

    private ServerEverything(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The install folder (with {@code node_modules}), installing the package with npm on first use. */
    public static synchronized Path installed() throws Exception {
        Path install =
                Path.of(System.getProperty("user.home"), ".cache", "drydock", "mcp-server-everything-" + VERSION);
        if (!Files.isRegularFile(install.resolve(ENTRY))) {
            Files.createDirectories(install);
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--prefix",
                            install.toString(),
                            "@modelcontextprotocol/server-everything@" + VERSION)
                    .redirectErrorStream(true)
                    .redirectOutput(install.resolve("install.log").toFile())
                    .start();
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm install @modelcontextprotocol/server-everything@" + VERSION
                        + " failed: " + Files.readString(install.resolve("install.log")));
            }
        }
        return install;
    }

    /** Starts the Streamable HTTP mode on a free loopback port; its log goes to {@code dir}. */
    public static ServerEverything startHttp(Path dir) throws Exception {
        Path install = installed();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("node", install.resolve(ENTRY).toString(), "streamableHttp")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-everything.log").toFile());
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        ServerEverything server = new ServerEverything(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!listening(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("server-everything did not listen on port " + port + ": "
                        + Files.readString(dir.resolve("server-everything.log")));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return server;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The Streamable HTTP endpoint. */
    public String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
