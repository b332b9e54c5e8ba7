package dev.drydock.server.egress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The one way the server sends HTTP requests out: each request's host must be in the allow-list
 * (exact names, or {@code *.example.com} suffixes); anything else is refused before a connection is
 * opened and reported to the {@link EgressListener}. Redirects are never followed, so an allowed host
 * cannot bounce a request elsewhere. A refusal names the session the request was made for when the
 * thread making it runs {@link #onBehalfOf} (the session runner's loop, the gateway's model calls).
 */
public final class EgressGuard implements AutoCloseable {
    private static final ThreadLocal<@Nullable String> SESSION = new ThreadLocal<>();

    private final Set<String> configured;
    private final Set<String> added = ConcurrentHashMap.newKeySet();
    private final EgressListener listener;
    private final Clock clock;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("egress-", 0).factory());
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

    public EgressGuard(Collection<String> allowedHosts, EgressListener listener, Clock clock) {
        this.configured = Set.copyOf(allowedHosts.stream()
                .map(EgressGuard::normalize)
                .filter(h -> !h.isEmpty())
                .toList());
        this.listener = listener;
        this.clock = clock;
    }

    /** The attribution of a thread's requests to a session; closing it restores the previous one. */
    public interface Attribution extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Attributes the requests this thread makes, until the returned value is closed, to {@code
     * session} (null: to none). Requests are sent on the calling thread, so the attribution reaches
     * the check.
     */
    public static Attribution onBehalfOf(@Nullable String session) {
        String previous = SESSION.get();
        SESSION.set(session);
        return () -> {
            if (previous == null) {
                SESSION.remove();
            } else {
                SESSION.set(previous);
            }
        };
    }

    /** Allows one more exact host (model endpoints add theirs). */
    public void allowHost(String host) {
        added.add(normalize(host));
    }

    /** Withdraws a host added with {@link #allowHost}; configured hosts stay. */
    public void disallowHost(String host) {
        added.remove(normalize(host));
    }

    public boolean isAllowed(String host) {
        String h = normalize(host);
        if (added.contains(h) || configured.contains(h)) {
            return true;
        }
        return configured.stream().anyMatch(p -> p.startsWith("*.") && h.endsWith(p.substring(1)));
    }

    /** Throws (and reports) unless the URI's host is allowed. */
    public void check(URI uri, String purpose) throws EgressRefusedException {
        String host = uri.getHost() == null ? "" : uri.getHost();
        if (!isAllowed(host)) {
            String url = uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
            try {
                listener.refused(new EgressRefusal(normalize(host), url, purpose, clock.instant(), SESSION.get()));
            } catch (RuntimeException ignored) {
                // the listener must not decide whether a refusal happens
            }
            throw new EgressRefusedException(host);
        }
    }

    /** Sends after checking the host. */
    public <T> HttpResponse<T> send(
            HttpRequest request, HttpResponse.BodyHandler<T> handler, Duration connectTimeout, String purpose)
            throws IOException, InterruptedException {
        check(request.uri(), purpose);
        return client(connectTimeout).send(request, handler);
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(
                connectTimeout,
                t -> HttpClient.newBuilder()
                        .connectTimeout(t)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .executor(executor)
                        .build());
    }

    private static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
        executor.shutdownNow();
    }
}
