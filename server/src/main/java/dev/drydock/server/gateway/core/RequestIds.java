package dev.drydock.server.gateway.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of gateway requests: time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds,
 * then 74 random bits. New rows of the request log then land at the end of its primary-key index
 * instead of all over it, and an id is made without a lock: {@link UUID#randomUUID()} draws from the
 * one shared {@code SecureRandom} (3 µs, serialised across all streams). An id names a request; it
 * grants nothing, so it need not be unguessable.
 */
public final class RequestIds {
    private RequestIds() {}

    public static String next() {
        return next(System.currentTimeMillis(), ThreadLocalRandom.current()).toString();
    }

    static UUID next(long epochMillis, ThreadLocalRandom random) {
        long high = epochMillis << 16 | 0x7000L | random.nextLong() & 0x0FFFL;
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
