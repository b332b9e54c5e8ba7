package dev.drydock.installer.preflight;

/** The outcome of one check: a blocker ({@link Status#FAIL}), a warning, or a pass, and what to do. */
public record CheckResult(String check, Status status, String detail) {
    /** How a check ended. */
    public enum Status {
        PASS,
        WARN,
        FAIL
    }

    static CheckResult pass(String check, String detail) {
        return new CheckResult(check, Status.PASS, detail);
    }

    static CheckResult warn(String check, String detail) {
        return new CheckResult(check, Status.WARN, detail);
    }

    static CheckResult fail(String check, String detail) {
        return new CheckResult(check, Status.FAIL, detail);
    }
}
