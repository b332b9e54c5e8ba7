package dev.drydock.server.gateway.core;

import java.util.Optional;

/** Decides before a request whether the caller's budgets allow it; the answer is the refusal message. */
@FunctionalInterface
public interface BudgetCheck {
    Optional<String> refusal(CallContext context);

    BudgetCheck NONE = c -> Optional.empty();
}
