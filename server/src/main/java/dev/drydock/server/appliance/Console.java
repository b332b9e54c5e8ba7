package dev.drydock.server.appliance;

import java.io.PrintStream;

/**
 * What {@code ./drydock up} tells the person at the terminal: progress and the final summary. The
 * only place in the server that writes to the standard streams.
 */
final class Console {
    private final PrintStream out;

    Console(PrintStream out) {
        this.out = out;
    }

    static Console system() {
        return new Console(System.out);
    }

    static void error(String line) {
        System.err.println(line);
    }

    void line(String line) {
        out.println(line);
        out.flush();
    }
}
