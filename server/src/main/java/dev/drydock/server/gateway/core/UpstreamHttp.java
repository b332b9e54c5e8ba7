package dev.drydock.server.gateway.core;

import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP plumbing shared by the protocol clients: sends through the {@link EgressGuard}, maps
 * status codes to {@link UpstreamException} kinds, and reads answers as strict UTF-8 lines under a
 * size limit, an idle timeout and a total deadline. Cancelling closes the connection.
 */
public final class UpstreamHttp {
    /** The most a finished answer's remainder may hold for the connection to be kept. */
    private static final int DRAIN_LIMIT_BYTES = 64 * 1024;
    /** The longest the remainder of a finished answer may take to arrive. */
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final EgressGuard egress;
    private final long maxResponseBytes;

    public UpstreamHttp(EgressGuard egress, long maxResponseBytes) {
        this.egress = egress;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Builds a request with the endpoint's credential. It carries no timeout of its own: {@link #open}
     * waits for the answer's headers with one (a per-request timer in the JDK client registers with its
     * selector thread and wakes it, twice per request, which under 200 streams was a measurable part of
     * the gateway's cost).
     */
    public static HttpRequest.Builder request(EndpointSpec endpoint, String path, @Nullable String secret) {
        String base = endpoint.baseUrl().toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json, text/event-stream, application/x-ndjson");
        if (secret != null && !secret.isEmpty()) {
            b.header(
                    endpoint.authHeader(),
                    endpoint.authHeader().equalsIgnoreCase("Authorization") ? "Bearer " + secret : secret);
        }
        return b;
    }

    /** Sends and returns the response once its headers arrived (within {@code headersTimeout}); non-2xx answers become exceptions. */
    public HttpResponse<InputStream> open(
            EndpointSpec endpoint, HttpRequest request, Cancellation cancel, Duration headersTimeout)
            throws UpstreamException {
        HttpResponse<InputStream> response = send(endpoint, request, cancel, headersTimeout);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String body = readErrorBody(response);
        String where = endpoint.name() + " answered HTTP " + status;
        throw switch (status) {
            case 429 ->
                new UpstreamException(
                        UpstreamException.Kind.RATE_LIMITED, where + " (rate limited)", false, retryAfter(response));
            case 401, 403 ->
                new UpstreamException(
                        UpstreamException.Kind.AUTH,
                        where + ": the endpoint refused the configured credential (check its secretRef)");
            case 400, 422 -> new UpstreamException(UpstreamException.Kind.CLIENT_ERROR, where + ": " + body);
            default ->
                status >= 500
                        ? new UpstreamException(UpstreamException.Kind.SERVER_ERROR, where + ": " + body)
                        : new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, where + ": " + body);
        };
    }

    /**
     * Sends on the calling thread and waits there for the headers. The JDK client's asynchronous send
     * hands the exchange to its executor and its completion to the common pool: two thread hand-offs
     * (and a wake-up of a parked pool thread) per request, which under 200 streams cost more CPU than
     * the gateway's own work. A cancel or the headers timeout interrupts the wait, which aborts the
     * exchange.
     */
    private HttpResponse<InputStream> send(
            EndpointSpec endpoint, HttpRequest request, Cancellation cancel, Duration headersTimeout)
            throws UpstreamException {
        HeadersWait wait = new HeadersWait(Thread.currentThread(), System.nanoTime() + headersTimeout.toNanos());
        AbandonableBody body = new AbandonableBody();
        try (Cancellation.Registration onCancel = cancel.onCancel(wait::cancel);
                Cancellation.Registration watched = Deadlines.watch(wait)) {
            HttpResponse<InputStream> response =
                    egress.send(request, body, endpoint.connectTimeout(), "model endpoint " + endpoint.name());
            if (wait.answered()) {
                return response;
            }
            response.body().close();
            throw wait.failure(headersTimeout);
        } catch (EgressRefusedException e) {
            throw new UpstreamException(UpstreamException.Kind.EGRESS_REFUSED, e.getMessage());
        } catch (InterruptedException e) {
            // the response never reaches this thread: a body the client created for it is closed here, or its
            // connection would stay open, reading what the endpoint keeps sending
            body.abandon();
            if (wait.answered()) {
                // not this wait's interrupt: the caller's thread is being stopped
                Thread.currentThread().interrupt();
                throw new UpstreamException(UpstreamException.Kind.CANCELLED, "interrupted");
            }
            throw wait.failure(headersTimeout);
        } catch (IOException e) {
            body.abandon();
            if (!wait.answered()) {
                throw wait.failure(headersTimeout);
            }
            throw mapSendFailure(e, cancel);
        } catch (IllegalArgumentException | SecurityException e) {
            // what the JDK client rethrows unwrapped; every other failure arrives as an IOException
            wait.answered();
            throw mapSendFailure(e, cancel);
        }
    }

    /**
     * The answer's body as an input stream, which can be abandoned: when a cancel interrupts the wait just
     * as the headers arrive, the JDK client may already have created the body (and keep reading into it)
     * while the response never reaches the caller, who then cannot close it; cancelling the client's
     * future does not close a connection whose headers were read. Whichever comes second, the body's
     * creation or {@link #abandon}, closes it.
     */
    private static final class AbandonableBody implements HttpResponse.BodyHandler<InputStream> {
        private volatile @Nullable InputStream created;
        private volatile boolean abandoned;

        @Override
        public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
            HttpResponse.BodySubscriber<InputStream> subscriber = HttpResponse.BodySubscribers.ofInputStream();
            subscriber.getBody().thenAccept(in -> {
                created = in;
                if (abandoned) {
                    closeQuietly(in);
                }
            });
            return subscriber;
        }

        void abandon() {
            abandoned = true;
            InputStream in = created;
            if (in != null) {
                closeQuietly(in);
            }
        }

        private static void closeQuietly(InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all that is left to do with it
            }
        }
    }

    /**
     * The caller's thread while it waits for an answer's headers: a cancel or the timeout interrupts
     * it, once, and only while it still waits, so that no interrupt outlives the wait.
     */
    private static final class HeadersWait implements Deadlines.Watched {
        private final Thread thread;
        private final long deadline;
        private UpstreamException.@Nullable Kind stoppedBy;
        private boolean over;

        HeadersWait(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
        }

        @Override
        public void check(long nanoTime) {
            if (nanoTime - deadline > 0) {
                stop(UpstreamException.Kind.TIMEOUT);
            }
        }

        void cancel() {
            stop(UpstreamException.Kind.CANCELLED);
        }

        private synchronized void stop(UpstreamException.Kind kind) {
            if (!over) {
                over = true;
                stoppedBy = kind;
                thread.interrupt();
            }
        }

        /** Ends the wait; false when a cancel or the timeout ended it first (its interrupt is then cleared). Called by the waiting thread. */
        synchronized boolean answered() {
            if (over) {
                Thread.interrupted();
                return false;
            }
            over = true;
            return true;
        }

        synchronized UpstreamException failure(Duration headersTimeout) {
            return stoppedBy == UpstreamException.Kind.TIMEOUT
                    ? new UpstreamException(
                            UpstreamException.Kind.TIMEOUT, "no answer within " + headersTimeout.toMillis() + " ms")
                    : new UpstreamException(UpstreamException.Kind.CANCELLED, "cancelled by the caller");
        }
    }

    private static UpstreamException mapSendFailure(Throwable cause, Cancellation cancel) {
        if (cancel.isCancelled()) {
            return new UpstreamException(UpstreamException.Kind.CANCELLED, "cancelled by the caller");
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
            return new UpstreamException(UpstreamException.Kind.CONNECT, "cannot connect: " + cause.getMessage());
        }
        if (cause instanceof HttpTimeoutException) {
            return new UpstreamException(UpstreamException.Kind.TIMEOUT, "no answer in time: " + cause.getMessage());
        }
        return new UpstreamException(
                UpstreamException.Kind.CONNECT,
                "connection failed: " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }

    private static @Nullable Long retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .flatMap(v -> {
                    try {
                        return java.util.Optional.of(Long.parseLong(v.trim()) * 1000);
                    } catch (NumberFormatException e) {
                        return java.util.Optional.empty();
                    }
                })
                .orElse(null);
    }

    private static String readErrorBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(2048);
            String text = new String(bytes, StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ")
                    .trim();
            if (text.startsWith("<")) {
                return "an HTML page instead of JSON";
            }
            return text.length() > 300 ? text.substring(0, 300) + "…" : text;
        } catch (IOException e) {
            return "(unreadable body)";
        }
    }

    /** The media type of a response, lower case, without parameters. */
    public static String mediaType(HttpResponse<?> response) {
        String ct = response.headers().firstValue("Content-Type").orElse("");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Opens a line reader over a response body with the endpoint's limits. */
    public Lines lines(EndpointSpec endpoint, HttpResponse<InputStream> response, Cancellation cancel) {
        return new Lines(endpoint, response.body(), cancel, maxResponseBytes);
    }

    /**
     * Reads strict UTF-8 lines; {@link Deadlines} closes the stream when it stalls or runs past its deadline.
     * Closing aborts the exchange (and its connection) unless {@link #finished()} was called first.
     */
    public static final class Lines implements AutoCloseable {
        private final InputStream in;
        private final Cancellation cancel;
        private final long maxBytes;
        private final long idleNanos;
        private volatile long deadline;
        private boolean finished;
        private final Cancellation.Registration cancelHandle;
        private final Cancellation.Registration watched;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int limit;
        private long total;
        private volatile long lastRead = System.nanoTime();
        private volatile @Nullable String stopReason;
        private final String endpointName;

        Lines(EndpointSpec endpoint, InputStream in, Cancellation cancel, long maxBytes) {
            this.in = in;
            this.cancel = cancel;
            this.maxBytes = maxBytes;
            this.endpointName = endpoint.name();
            this.idleNanos = endpoint.idleTimeout().toNanos();
            this.deadline = System.nanoTime() + endpoint.requestTimeout().toNanos();
            this.cancelHandle = cancel.onCancel(this::closeQuietly);
            this.watched = Deadlines.watch(this::watch);
        }

        private void watch(long now) {
            if (now - lastRead > idleNanos) {
                stopReason = endpointName + " sent nothing for " + (idleNanos / 1_000_000) + " ms (stalled)";
                closeQuietly();
            } else if (now > deadline) {
                stopReason = endpointName + " did not finish within its request timeout";
                closeQuietly();
            }
        }

        /** The next line without its terminator, or null at the end of the body. */
        public @Nullable String next() throws UpstreamException {
            byte[] line = null;
            int lineSize = 0;
            while (true) {
                if (pos == limit) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        throw failure(e);
                    }
                    if (stopReason != null) {
                        throw failure(null);
                    }
                    if (n < 0) {
                        return lineSize == 0 ? null : decode(Objects.requireNonNull(line), 0, lineSize);
                    }
                    lastRead = System.nanoTime();
                    total += n;
                    if (total > maxBytes) {
                        throw new UpstreamException(
                                UpstreamException.Kind.TOO_LARGE,
                                endpointName + " answered more than " + maxBytes + " bytes");
                    }
                    pos = 0;
                    limit = n;
                }
                int newline = pos;
                while (newline < limit && buffer[newline] != '\n') {
                    newline++;
                }
                if (newline < limit && lineSize == 0) {
                    // the common case: the whole line is in the buffer, decode it from there
                    int end = newline > pos && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                    String text = decode(buffer, pos, end - pos);
                    pos = newline + 1;
                    return text;
                }
                int take = newline - pos;
                if (line == null || lineSize + take > line.length) {
                    line = Arrays.copyOf(
                            line == null ? new byte[0] : line, Math.max(256, Math.max(lineSize + take, lineSize * 2)));
                }
                System.arraycopy(buffer, pos, line, lineSize, take);
                lineSize += take;
                pos = newline;
                if (newline < limit) {
                    pos++;
                    int end = lineSize > 0 && line[lineSize - 1] == '\r' ? lineSize - 1 : lineSize;
                    return decode(line, 0, end);
                }
            }
        }

        /**
         * Marks the answer complete as far as the protocol goes (an SSE {@code [DONE]}, an NDJSON
         * {@code done: true}). Closing then leaves the rest of the body (normally just the end of the
         * chunked encoding) to a background reader, so that the connection goes back to the client's
         * pool instead of being torn down: a new TCP connection per request is what made the gateway
         * slow under many concurrent streams.
         */
        public void finished() {
            finished = true;
        }

        /** The whole remaining body as one string. */
        public String rest() throws UpstreamException {
            StringBuilder sb = new StringBuilder();
            String l;
            while ((l = next()) != null) {
                sb.append(l).append('\n');
            }
            return sb.toString();
        }

        private String decode(byte[] bytes, int offset, int length) throws UpstreamException {
            if (ascii(bytes, offset, length)) {
                // nearly every line of an answer is ASCII (JSON escapes non-ASCII text by default in many
                // servers), and for ASCII the Latin-1 decoder is exact and copies without checking
                return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
            }
            try {
                CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, offset, length));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new UpstreamException(
                        UpstreamException.Kind.BAD_RESPONSE, endpointName + " sent bytes that are not valid UTF-8");
            }
        }

        private static boolean ascii(byte[] bytes, int offset, int length) {
            for (int i = offset, end = offset + length; i < end; i++) {
                if (bytes[i] < 0) {
                    return false;
                }
            }
            return true;
        }

        private UpstreamException failure(@Nullable IOException e) {
            if (cancel.isCancelled()) {
                return new UpstreamException(UpstreamException.Kind.CANCELLED, "cancelled by the caller");
            }
            String reason = stopReason;
            if (reason != null) {
                return new UpstreamException(UpstreamException.Kind.TIMEOUT, reason);
            }
            return new UpstreamException(
                    UpstreamException.Kind.TRUNCATED,
                    endpointName + " broke off the answer: " + (e == null ? "closed" : e.getMessage()));
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is best effort; the reader sees the stream end
            }
        }

        @Override
        public void close() {
            cancelHandle.close();
            if (finished && stopReason == null && !cancel.isCancelled()) {
                Thread.ofVirtual().name("gateway-drain").start(this::drainThenClose);
                return;
            }
            watched.close();
            closeQuietly();
        }

        /** Reads the remainder of a finished answer to its end (bounded in size, and in time by its deadline), then closes. */
        private void drainThenClose() {
            deadline = Math.min(deadline, System.nanoTime() + DRAIN_TIMEOUT_NANOS);
            long left = DRAIN_LIMIT_BYTES;
            try {
                int n;
                while (left > 0 && (n = in.read(buffer)) >= 0) {
                    left -= n;
                }
            } catch (IOException ignored) {
                // the deadline closed a remainder that did not end in time; the connection is dropped
            } finally {
                watched.close();
                closeQuietly();
            }
        }
    }
}
