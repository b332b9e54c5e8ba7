package dev.drydock.server.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
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
 * filled from the log so that nothing is lost or repeated. Events appended on another replica reach
 * the bus through {@link EventNotifications}; a stream that hears nothing for {@code
 * drydock.event-streams.poll-interval} reads the log by seq anyway. The stream ends after a
 * finished session's closing {@code egress.proof.v1}, which follows {@code session.finished} at once
 * (or {@link #CLOSING_GRACE} after a {@code session.finished} no proof follows: a log written before
 * proofs existed); a client that reconnects with {@code Last-Event-ID} continues where it was.
 * Callers authorise before calling and pass when the caller's credential expires: the stream ends
 * then, so a person removed from the workspace stops receiving events when the token that still
 * claimed the membership runs out, and a reconnect is authorised afresh.
 */
@ApplicationScoped
public class EventStreams {
    private static final Logger LOG = Logger.getLogger(EventStreams.class);
    private static final long KEEP_ALIVE_SECONDS = 15;

    /** How long a stream waits after {@code session.finished} for the session's closing egress proof. */
    static final Duration CLOSING_GRACE = Duration.ofSeconds(5);

    /** Where a stream is in a session's ending: {@code session.finished} sent, then its egress proof. */
    private static final class Ending {
        @Nullable
        Instant closingBy;

        boolean closed;

        void saw(Event e) {
            switch (e.payload()) {
                case Lifecycle.SessionFinished f -> {
                    closed = false;
                    closingBy = Instant.now().plus(CLOSING_GRACE);
                }
                case Telemetry.EgressProofRecorded p -> {
                    closed = closingBy != null;
                    closingBy = null;
                }
                default -> {
                    // the session went on (a person continued it): follow it again
                    closed = false;
                    closingBy = null;
                }
            }
        }

        /** Whether nothing more is to be sent: the proof went out, or it did not come in time. */
        boolean over() {
            return closed || (closingBy != null && Instant.now().isAfter(closingBy));
        }

        long waitMillis(long otherwise) {
            return closingBy == null
                    ? otherwise
                    : Math.max(
                            1,
                            Math.min(
                                    otherwise,
                                    Duration.between(Instant.now(), closingBy).toMillis()));
        }
    }

    @Inject
    PostgresEventLog log;

    @Inject
    EventBus bus;

    @Inject
    EventStreamConfig config;

    /** Open streams per user ({@code drydock.event-streams.max-per-user}). */
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    private final EventCodec codec = new EventCodec();

    /** One page of events as JSON envelopes. */
    public List<JsonNode> page(String sessionId, long afterSeq, int limit) {
        return log.read(sessionId, afterSeq, limit).stream()
                .map(codec::eventTree)
                .toList();
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
     * The stream as a {@link Multi} the framework writes as SSE: it sends the response head before
     * the first item, so events never race the head (a sink written from our own thread did, and
     * about one stream in forty answered 500 "Response head already sent" after its first event).
     * Events are read on a virtual thread from subscription on; the stream ends after {@code
     * session.finished} and the egress proof that closes it, at {@code notAfter} at the latest, or when the client goes away. {@code user}
     * (who streams) may hold at most {@code drydock.event-streams.max-per-user} streams: one more is
     * refused with 429 before anything is sent; a stream's place is freed when it ends.
     */
    public Multi<OutboundSseEvent> stream(String sessionId, long afterSeq, String user, Instant notAfter, Sse sse) {
        AutoCloseable slot = take(user);
        return Multi.createFrom()
                .<OutboundSseEvent>emitter(
                        emitter -> {
                            BlockingQueue<Event> live = new LinkedBlockingQueue<>();
                            AutoCloseable subscription = bus.subscribe(sessionId, live::add);
                            Thread reader = Thread.ofVirtual()
                                    .name("sse-" + sessionId)
                                    .start(() -> {
                                        try (slot;
                                                subscription) {
                                            follow(sessionId, afterSeq, notAfter, sse, live, emitter);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        } catch (Exception e) {
                                            LOG.warnf(
                                                    "event stream of session %s ended early: %s",
                                                    sessionId, e.toString());
                                        } finally {
                                            emitter.complete();
                                        }
                                    });
                            emitter.onTermination(() -> {
                                reader.interrupt();
                                closeQuietly(slot);
                            });
                        },
                        BackPressureStrategy.BUFFER);
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
            throw ProblemException.tooManyRequests(
                    "You already have " + limit + " live event streams open, the most one person may have at once. "
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

    private void follow(
            String sessionId,
            long afterSeq,
            Instant notAfter,
            Sse sse,
            BlockingQueue<Event> live,
            MultiEmitter<? super OutboundSseEvent> out)
            throws InterruptedException {
        long last = afterSeq;
        Ending ending = new Ending();
        for (Event e : log.read(sessionId, last, Integer.MAX_VALUE)) {
            out.emit(frame(sse, e));
            last = e.seq();
            ending.saw(e);
        }
        long pollMillis = Math.max(1, config.pollInterval().toMillis());
        Instant lastSent = Instant.now();
        while (!ending.over() && !out.isCancelled()) {
            long left = Duration.between(Instant.now(), notAfter).toMillis();
            if (left <= 0) {
                out.emit(sse.newEventBuilder()
                        .comment("credential expired: reconnect with Last-Event-ID and a fresh token")
                        .build());
                return;
            }
            Event e = live.poll(ending.waitMillis(Math.min(left, pollMillis)), TimeUnit.MILLISECONDS);
            List<Event> batch;
            if (e == null) {
                // Nothing heard: read the log by seq anyway, in case a notification from another replica was lost.
                batch = log.read(sessionId, last, Integer.MAX_VALUE);
                if (batch.isEmpty()) {
                    if (Duration.between(lastSent, Instant.now()).toSeconds() >= KEEP_ALIVE_SECONDS
                            && Instant.now().isBefore(notAfter)) {
                        out.emit(sse.newEventBuilder().comment("keep-alive").build());
                        lastSent = Instant.now();
                    }
                    continue;
                }
            } else if (e.seq() <= last) {
                continue;
            } else {
                batch = e.seq() == last + 1 ? List.of(e) : log.read(sessionId, last, (int) (e.seq() - last));
            }
            lastSent = Instant.now();
            for (Event b : batch) {
                out.emit(frame(sse, b));
                last = b.seq();
                ending.saw(b);
            }
        }
    }

    private OutboundSseEvent frame(Sse sse, Event e) {
        return sse.newEventBuilder()
                .id(Long.toString(e.seq()))
                .name(codec.typeName(e.payload()))
                .mediaType(jakarta.ws.rs.core.MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, codec.encodeEvent(e))
                .build();
    }
}
