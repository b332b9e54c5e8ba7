package dev.drydock.installer.preflight;

import java.util.List;

/** The readable report of a preflight run. */
public final class PreflightReport {
    private PreflightReport() {}

    /** One line per check, then a verdict. */
    public static String format(String cluster, List<CheckResult> results) {
        StringBuilder sb = new StringBuilder("preflight of " + cluster + "\n");
        int width = results.stream().mapToInt(r -> r.check().length()).max().orElse(0);
        for (CheckResult r : results) {
            sb.append(String.format("  %-4s  %-" + width + "s  %s%n", r.status(), r.check(), r.detail()));
        }
        long blockers = results.stream()
                .filter(r -> r.status() == CheckResult.Status.FAIL)
                .count();
        long warnings = results.stream()
                .filter(r -> r.status() == CheckResult.Status.WARN)
                .count();
        sb.append(
                blockers == 0
                        ? "ready to install"
                        : blockers + (blockers == 1 ? " blocker" : " blockers") + ": fix them before installing");
        sb.append(warnings == 0 ? "" : " (" + warnings + (warnings == 1 ? " warning" : " warnings") + ")")
                .append('\n');
        return sb.toString();
    }
}
