package dev.drydock.sandbox;

/**
 * Answers whether a droid session is still live. The server supplies it; the reaper and start-up
 * reconciliation delete sandboxes whose session is not live.
 */
@FunctionalInterface
public interface SessionLiveness {
    boolean isLive(String sessionId);
}
