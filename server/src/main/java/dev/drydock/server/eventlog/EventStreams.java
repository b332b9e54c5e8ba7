package dev.drydock.server.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Streams a session's events as SSE ({@code id: <seq>}, {@code event: <type name>}, data: the JSON
 * envelope) from a cursor: the backlog from the log first, then live events from the bus, with gaps
 * filled from the log so that nothing is lost or repeated. The stream ends after {@code
 * session.finished}; a client that reconnects with {@code Last-Event-ID} continues where it was.
 * Callers authorise before calling and pass when the caller's credential expires: the stream ends
 * then, so a person removed from the workspace stops receiving events when the token that still
 * claimed the membership runs out, and a reconnect is authorised afresh.
 */
@ApplicationScoped
public class EventStreams {
    private static final Logger LOG = Logger.getLogger(EventStreams.class);
    private static final long KEEP_ALIVE_SECONDS = 15;
    /** How often a waiting stream checks whether its client went away (and its place can be freed). */
    private static final long CLOSED_CHECK_MILLIS = 500;

    @Inject PostgresEventLog log;
    @Inject EventBus bus;
    @Inject EventStreamConfig config;

    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    private final EventCodec codec = new EventCodec();

    /** One page of events as JSON envelopes. */
    public List<JsonNode> page(String sessionId, long afterSeq, int limit) {
        return log.read(sessionId, afterSeq, limit).stream().map(codec::eventTree).toList();
    }

    /**
     * The seq to stream after: the {@code Last-Event-ID} of a reconnecting client wins over an {@code
     * after} query parameter; neither means from the start.
     */
    public static long cursor(@Nullable String lastEventId, @Nullable Long after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                return Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Last-Event-ID must be an event seq");
            }
        }
        return after == null ? 0 : after;
    }

    /**
     * Starts streaming on a virtual thread and returns at once; the stream ends at {@code notAfter} at
     * the latest. {@code user} (who streams) may hold at most {@code drydock.event-streams.max-per-user}
     * streams: one more is refused with 429 before anything is sent.
     */
    public void stream(String sessionId, long afterSeq, String user, Instant notAfter, SseEventSink sink, Sse sse) {
        AutoCloseable slot = take(user);
        BlockingQueue<Event> live = new LinkedBlockingQueue<>();
        AutoCloseable subscription = bus.subscribe(sessionId, live::add);
        try {
            Thread.ofVirtual().name("sse-" + sessionId).start(() -> run(sessionId, afterSeq, notAfter, sink, sse, live, slot, subscription));
        } catch (RuntimeException | Error e) {
            closeQuietly(subscription);
            closeQuietly(slot);
            throw e;
        }
    }

    /** How many streams {@code user} holds open now. */
    public int openStreams(String user) {
        AtomicInteger n = open.get(user);
        return n == null ? 0 : n.get();
    }

    private AutoCloseable take(String user) {
        int limit = config.maxPerUser();
        AtomicInteger n = open.computeIfAbsent(user, k -> new AtomicInteger());
        if (n.incrementAndGet() > limit) {
            n.decrementAndGet();
            throw ProblemException.tooManyRequests("You already have " + limit + " live event streams open, the most one person may have at once. "
                    + "Close a session page or stream you no longer watch, then reconnect (with Last-Event-ID to continue where you were).");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                n.decrementAndGet();
            }
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debugf("closing a stream's resource failed: %s", e.toString());
        }
    }

    private void run(String sessionId, long afterSeq, Instant notAfter, SseEventSink sink, Sse sse, BlockingQueue<Event> live, AutoCloseable slot,
            AutoCloseable subscription) {
        try (slot; subscription) {
            long last = afterSeq;
            boolean finished = false;
            for (Event e : log.read(sessionId, last, Integer.MAX_VALUE)) {
                send(sink, sse, e);
                last = e.seq();
                finished = e.payload() instanceof Lifecycle.SessionFinished;
            }
            long quietSince = System.nanoTime();
            while (!finished && !sink.isClosed()) {
                long left = Duration.between(Instant.now(), notAfter).toMillis();
                if (left <= 0) {
                    sink.send(sse.newEventBuilder().comment("credential expired: reconnect with Last-Event-ID and a fresh token").build())
                            .toCompletableFuture().get(10, TimeUnit.SECONDS);
                    break;
                }
                // short waits, so that a client that went away frees its place promptly
                Event e = live.poll(Math.min(left, CLOSED_CHECK_MILLIS), TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (!Instant.now().isBefore(notAfter) || System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS)) {
                        continue;
                    }
                    sink.send(sse.newEventBuilder().comment("keep-alive").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    quietSince = System.nanoTime();
                    continue;
                }
                quietSince = System.nanoTime();
                if (e.seq() <= last) {
                    continue;
                }
                List<Event> batch = e.seq() == last + 1 ? List.of(e) : log.read(sessionId, last, (int) (e.seq() - last));
                for (Event b : batch) {
                    send(sink, sse, b);
                    last = b.seq();
                    finished = b.payload() instanceof Lifecycle.SessionFinished;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("event stream of session %s ended: %s", sessionId, e.toString());
        } finally {
            sink.close();
        }
    }

    private void send(SseEventSink sink, Sse sse, Event e) throws Exception {
        OutboundSseEvent out = sse.newEventBuilder()
                .id(Long.toString(e.seq()))
                .name(codec.typeName(e.payload()))
                .mediaType(jakarta.ws.rs.core.MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, codec.encodeEvent(e))
                .build();
        sink.send(out).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
