package dev.drydock.server.agent.event;

/** Measurements: context use, token usage, model call failures. */
public sealed interface Telemetry extends Payload {
    /** The context meter after rendering a prompt: estimated tokens by source, and the window. */
    record ContextMeasured(long window, long system, long rules, long retrieved, long history) implements Telemetry {
        public long used() {
            return system + rules + retrieved + history;
        }
    }

    /** Tokens and cost of one model call; cost in millionths of the configured currency unit. */
    record ModelUsage(String model, long promptTokens, long completionTokens, long costMicros) implements Telemetry {}

    /** One model call failed (endpoint down, timeout); the loop retries a bounded number of times. */
    record ModelCallFailed(int attempt, String reason) implements Telemetry {}

    /**
     * The session's content reached a higher data classification (it read a labelled file, a search
     * hit, or ran a command that can read any file in its sandbox); every later model request carries
     * at least {@code to}, so only endpoints cleared for it receive them.
     */
    record ClassificationRaised(String from, String to, String reason) implements Telemetry {}

    /**
     * The session's sandbox asked the mirror proxy for something (issue #18): {@code target} is {@code
     * host:port} for CONNECT, else the URL without query; {@code mirror} the allowed mirror's name
     * (empty when refused); {@code setup} whether the setup step was running. Never headers or bodies.
     */
    record MirrorRequested(String method, String target, String mirror, boolean allowed, boolean setup)
            implements Telemetry {}

    /**
     * The sandbox's setup step ran before the droid started: the command, where it came from ({@code
     * registration} or {@code rules}), the mirrors it could reach and the names (never the values) of
     * the workspace secrets it was given.
     */
    record SetupCompleted(
            String command, String origin, java.util.List<String> mirrors, java.util.List<String> secretNames)
            implements Telemetry {
        public SetupCompleted {
            mirrors = java.util.List.copyOf(mirrors);
            secretNames = java.util.List.copyOf(secretNames);
        }
    }

    /**
     * The session's egress proof, written when it finishes (again after each later finish): the
     * sandbox's network ({@code off}, or {@code mirrors} reached only through the per-sandbox proxy),
     * the mirrors it could reach, the gateway endpoints its model calls could reach, and the connection
     * attempts refused from its sandbox and from the server on its behalf. {@code refused} counts them
     * all; {@code refusals} lists the first {@code EgressProofRecorded.MAX_LISTED}.
     */
    record EgressProofRecorded(
            String sandboxNetwork,
            java.util.List<String> mirrors,
            java.util.List<String> gatewayEndpoints,
            int refused,
            java.util.List<Refusal> refusals)
            implements Telemetry {
        /** Most refusals listed one by one; the count covers the rest. */
        public static final int MAX_LISTED = 500;

        public EgressProofRecorded {
            mirrors = java.util.List.copyOf(mirrors);
            gatewayEndpoints = java.util.List.copyOf(gatewayEndpoints);
            refusals = java.util.List.copyOf(refusals);
        }

        /**
         * One refused attempt: {@code from} is {@code sandbox} or {@code server}; {@code seq} the event
         * that recorded it (sandbox refusals), 0 for the server's (they are in {@code egress_refusal}).
         */
        public record Refusal(String from, long seq, java.time.Instant at, String target, String detail) {}
    }
}
