package dev.drydock.server.migration;

import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import java.util.List;

/** Why a plan is refused: a 400 problem with the offending field(s) named, type {@code invalid-plan}. */
final class PlanProblem {
    private PlanProblem() {}

    static ProblemException of(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-plan", "Invalid migration plan", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
