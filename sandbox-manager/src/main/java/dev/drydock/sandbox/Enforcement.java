package dev.drydock.sandbox;

/**
 * Whether one guarantee is enforced by a backend on this host, and how.
 *
 * @param control what is limited, e.g. {@code memory}, {@code processes}, {@code network}
 * @param enforced whether it is enforced
 * @param mechanism how, e.g. {@code cgroup v1 memory.limit_in_bytes}, {@code RLIMIT_AS}
 */
public record Enforcement(String control, boolean enforced, String mechanism) {
    @Override
    public String toString() {
        return control + ": " + (enforced ? "enforced by " + mechanism : "NOT enforced (" + mechanism + ")");
    }
}
