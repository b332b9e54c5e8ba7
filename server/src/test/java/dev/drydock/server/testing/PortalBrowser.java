package dev.drydock.server.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, offline (no browser download), for the browser tier: open
 * one per test with try-with-resources, and sign people in through Keycloak's real login page.
 */
public final class PortalBrowser implements AutoCloseable {
    /** The Chromium that {@code ./drydock test} installs. */
    public static final Path CHROMIUM = Path.of(System.getProperty("drydock.test.chromium", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private PortalBrowser() {
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run",
                                "--disable-quic")));
    }

    /** Launches Chromium; fails with a hint when it is not installed. */
    public static PortalBrowser launch() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(
                    "Debian's chromium is missing at " + CHROMIUM + " (./drydock test installs it)");
        }
        return new PortalBrowser();
    }

    /** A fresh page in its own context (own cookies), so that several people can use one browser. */
    public Page newPage() {
        BrowserContext context = browser.newContext();
        return context.newPage();
    }

    /** A fresh page in its own context with {@code options} (e.g. bypassing the page's CSP to inject a checker such as axe-core). */
    public Page newPage(Browser.NewContextOptions options) {
        return browser.newContext(options).newPage();
    }

    /**
     * Opens {@code url} as {@code username} (password {@link RealServices#password}): the portal sends the
     * page to Keycloak's login form, which this fills in; Keycloak then sends it back to {@code url}.
     */
    public Page signIn(String username, String url) {
        return signIn(newPage(), username, url);
    }

    /** Like {@link #signIn(String, String)}, in a page the test prepared (routes, scripts). */
    public Page signIn(Page page, String username, String url) {
        page.navigate(url);
        page.waitForSelector("#kc-login");
        page.fill("#username", username);
        page.fill("#password", RealServices.password(username));
        page.click("#kc-login");
        page.waitForURL(u -> u.equals(url));
        return page;
    }

    /** Saves a full-page screenshot under {@code target/screenshots} (kept by CI for people to look at). */
    public static void screenshot(Page page, String name) {
        try {
            Path shots = Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(shots.resolve(name + ".png"))
                    .setFullPage(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
