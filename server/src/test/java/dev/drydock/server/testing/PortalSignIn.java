package dev.drydock.server.testing;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs a test user in to the portal as a browser does (the portal sends it to Keycloak, Keycloak's
 * login form takes the password, the callback sets the portal's session cookie) and hands back the
 * {@code Cookie} header that carries the portal session, for clients that send it themselves.
 */
public final class PortalSignIn {
    private static final Pattern LOGIN_ACTION = Pattern.compile("action=\"([^\"]*login-actions/authenticate[^\"]*)\"");

    private PortalSignIn() {}

    /** The {@code Cookie} header value of a fresh portal session of {@code user} on the server at {@code base}. */
    public static String cookie(URI base, String user) throws Exception {
        Jar jar = new Jar();
        client(base, user, jar);
        Map<String, String> mine = jar.cookies.getOrDefault(base.getHost() + ":" + base.getPort(), Map.of());
        return mine.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /**
     * A client (HTTP/1.1, redirects not followed) that keeps a fresh portal session of {@code user} on the
     * server at {@code base} in its own cookie jar, as a browser does.
     */
    public static HttpClient client(URI base, String user) throws Exception {
        return client(base, user, new Jar());
    }

    private static HttpClient client(URI base, String user, Jar jar) throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(jar)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> toKeycloak = browser.send(
                HttpRequest.newBuilder(base.resolve("/portal")).build(), HttpResponse.BodyHandlers.ofString());
        String login = toKeycloak
                .headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("the portal did not send " + user + " to sign in"));
        HttpResponse<String> page =
                browser.send(HttpRequest.newBuilder(URI.create(login)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher action = LOGIN_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no login form on Keycloak's page for " + user);
        }
        String form =
                "username=" + encode(user) + "&password=" + encode(RealServices.password(user)) + "&credentialId=";
        HttpResponse<String> back = browser.send(
                HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String callback = back.headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("Keycloak did not accept " + user + ": " + back.statusCode()));
        browser.send(HttpRequest.newBuilder(base.resolve(callback)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> home = browser.send(
                HttpRequest.newBuilder(base.resolve("/portal")).build(), HttpResponse.BodyHandlers.ofString());
        if (home.statusCode() != 200) {
            throw new AssertionError("the portal's home page answered " + home.statusCode() + " to " + user);
        }
        return browser;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Cookies per host and port; sends {@code Secure} ones over plain HTTP to localhost, as browsers do. */
    private static final class Jar extends CookieHandler {
        final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            Map<String, String> mine = cookies.getOrDefault(uri.getHost() + ":" + uri.getPort(), Map.of());
            return mine.isEmpty()
                    ? Map.of()
                    : Map.of(
                            "Cookie",
                            List.of(mine.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            Map<String, String> mine =
                    cookies.computeIfAbsent(uri.getHost() + ":" + uri.getPort(), k -> new ConcurrentHashMap<>());
            responseHeaders.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String v : values) {
                        String pair = v.split(";", 2)[0];
                        int eq = pair.indexOf('=');
                        String key = pair.substring(0, eq).strip();
                        String value = pair.substring(eq + 1).strip();
                        if (value.isEmpty() || v.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                            mine.remove(key);
                        } else {
                            mine.put(key, value);
                        }
                    }
                }
            });
        }
    }
}
