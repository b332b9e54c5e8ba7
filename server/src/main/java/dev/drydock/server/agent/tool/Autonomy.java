package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;

/**
 * A workspace's autonomy level: for each risk, whether a call runs, waits for a person's approval or
 * is blocked. Chosen per workspace by its admins.
 */
public enum Autonomy {
    /** Reads run; writes need approval; network and destructive commands are blocked. */
    OBSERVE(Verdict.RUN, Verdict.ASK, Verdict.BLOCK, Verdict.BLOCK),
    /** Reads and workspace writes run; network and destructive commands need approval (the default). */
    SUPERVISED(Verdict.RUN, Verdict.RUN, Verdict.ASK, Verdict.ASK),
    /** Everything runs except destructive commands, which need approval. */
    AUTONOMOUS(Verdict.RUN, Verdict.RUN, Verdict.RUN, Verdict.ASK);

    private final Verdict readOnly;
    private final Verdict writes;
    private final Verdict network;
    private final Verdict destructive;

    Autonomy(Verdict readOnly, Verdict writes, Verdict network, Verdict destructive) {
        this.readOnly = readOnly;
        this.writes = writes;
        this.network = network;
        this.destructive = destructive;
    }

    /** What happens to a call of this risk. */
    public Verdict verdict(Risk risk) {
        return switch (risk) {
            case READ_ONLY -> readOnly;
            case WRITES_WORKSPACE -> writes;
            case NETWORK -> network;
            case DESTRUCTIVE -> destructive;
        };
    }

    /** The policy's answer for one call. */
    public enum Verdict {
        RUN,
        ASK,
        BLOCK
    }
}
