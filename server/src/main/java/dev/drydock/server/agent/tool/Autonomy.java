package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A workspace's autonomy level (the workspace policy's {@code autonomy}: read-only, approve-writes,
 * auto-edit, full-auto): for each risk, whether a call runs, waits for a person's approval or is
 * blocked.
 */
public enum Autonomy {
    /** Reads run; every write or command with side effects is blocked. */
    READ_ONLY(Verdict.RUN, Verdict.BLOCK, Verdict.BLOCK, Verdict.BLOCK),
    /** Reads run; workspace writes, network and destructive actions wait for a person's approval. */
    APPROVE_WRITES(Verdict.RUN, Verdict.ASK, Verdict.ASK, Verdict.ASK),
    /** Reads and workspace writes (edits, builds, tests) run; network and destructive actions need approval. */
    AUTO_EDIT(Verdict.RUN, Verdict.RUN, Verdict.ASK, Verdict.ASK),
    /** Everything runs without asking (the sandbox still has no network unless its policy grants it). */
    FULL_AUTO(Verdict.RUN, Verdict.RUN, Verdict.RUN, Verdict.RUN);

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

    /** The workspace policy label, such as {@code auto-edit}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The level whose label is exactly {@code label}; empty for anything else (a policy update checks its input with it). */
    public static Optional<Autonomy> parse(String label) {
        return Arrays.stream(values()).filter(a -> a.label().equals(label)).findFirst();
    }

    /** The level for a workspace policy label such as {@code auto-edit}. */
    public static Autonomy ofLabel(String label) {
        return valueOf(label.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
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
