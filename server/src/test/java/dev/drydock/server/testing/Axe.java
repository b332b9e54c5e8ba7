package dev.drydock.server.testing;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * axe-core, the accessibility checker, fetched from npm once per checkout ({@code npm pack} into
 * {@code target/axe}; nothing is installed) and injected into a page by the test. The page's context
 * must bypass its CSP, which rightly forbids the injected script.
 */
public final class Axe {
    /** The version checked; change it here and the next run fetches it. */
    public static final String VERSION = "4.14.1";

    private static volatile String source;

    private Axe() {}

    /** The serious and critical violations on the page, one line each (rule, impact, help, first elements); empty when there are none. */
    public static List<String> seriousViolations(Page page) {
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(source()));
        String json = (String)
                page.evaluate(
                        "async () => { const r = await axe.run(document, { resultTypes: ['violations'] });"
                                + " return JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                                + ".map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', '))); }");
        try {
            return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized String source() {
        if (source == null) {
            Path dir = Path.of("target/axe");
            Path script = dir.resolve("package/axe.min.js");
            try {
                if (!Files.exists(script)) {
                    Files.createDirectories(dir);
                    run(dir, "npm", "pack", "axe-core@" + VERSION, "--silent");
                    run(dir, "tar", "xzf", "axe-core-" + VERSION + ".tgz");
                }
                source = Files.readString(script);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm.log").toFile())
                .start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed in " + dir
                        + " (needs npm and its registry); see " + dir.resolve("npm.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
