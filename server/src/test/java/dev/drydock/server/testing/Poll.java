package dev.drydock.server.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits on a condition, never on the clock alone: polls a value until it is what the test waits for. */
public final class Poll {
    private static final Duration EVERY = Duration.ofMillis(150);

    private Poll() {}

    /** Polls {@code what} until {@code done} holds and returns that value; fails after {@code timeout}. */
    public static <T> T until(Supplier<T> what, Predicate<T> done, Duration timeout) throws InterruptedException {
        return until(what, done, timeout, String::valueOf);
    }

    /** Like {@link #until(Supplier, Predicate, Duration)}; {@code describe} says what the last value was when it fails. */
    public static <T> T until(Supplier<T> what, Predicate<T> done, Duration timeout, Function<T, String> describe)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        T value = what.get();
        while (!done.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "not reached in " + timeout.toSeconds() + " s; last: " + describe.apply(value));
            }
            Thread.sleep(EVERY);
            value = what.get();
        }
        return value;
    }
}
