package dev.drydock.server.workspace;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How much a droid may do without asking, per workspace. */
public enum Autonomy {
    /** Droids may read and search; every write or command is blocked. */
    READ_ONLY,
    /** Reads run; workspace writes and commands wait for a person's approval. */
    APPROVE_WRITES,
    /** Reads and workspace edits run; commands with side effects need approval. */
    AUTO_EDIT,
    /** Everything policy does not block runs without asking. */
    FULL_AUTO;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Autonomy> parse(String label) {
        return Arrays.stream(values()).filter(a -> a.label().equals(label)).findFirst();
    }
}
