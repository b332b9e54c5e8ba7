package dev.drydock.server.gateway.accounting;

import dev.drydock.server.gateway.core.BudgetCheck;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.persistence.Columns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Budgets per user, workspace or session, in tokens and/or cost per UTC day or month, checked
 * against the accounting table before each request. Subject {@code *} applies the limit to each
 * user (workspace, session) separately.
 */
@ApplicationScoped
public class Budgets implements BudgetCheck {
    @Inject
    EntityManager em;

    @Inject
    GatewayLedger ledger;

    Clock clock = Clock.systemUTC();

    /** One budget. */
    public record Budget(
            long id,
            String scope,
            String subject,
            String period,
            @Nullable Long maxTokens,
            @Nullable BigDecimal maxCost) {}

    @Override
    public Optional<String> refusal(CallContext ctx) {
        for (Budget b : list()) {
            String value = switch (b.scope()) {
                case "user" -> ctx.username();
                case "workspace" -> ctx.workspace();
                default -> ctx.sessionId();
            };
            if (value == null || !(b.subject().equals("*") || b.subject().equals(value))) {
                continue;
            }
            Instant since = periodStart(b.period());
            GatewayLedger.Spent spent = ledger.spent(
                    b.scope().equals("user") ? "username" : b.scope().equals("workspace") ? "workspace" : "session_id",
                    value,
                    since);
            if (b.maxTokens() != null && spent.tokens() >= b.maxTokens()) {
                return Optional.of("the " + periodWord(b.period()) + " token budget of " + b.scope() + " '" + value
                        + "' is used up (" + spent.tokens() + " of " + b.maxTokens() + " tokens since " + since
                        + "); ask an administrator to raise budget " + b.id() + " or wait for the next " + b.period());
            }
            if (b.maxCost() != null && spent.cost().compareTo(b.maxCost()) >= 0) {
                return Optional.of("the " + periodWord(b.period()) + " cost budget of " + b.scope() + " '" + value
                        + "' is used up ("
                        + spent.cost().stripTrailingZeros().toPlainString() + " of "
                        + b.maxCost().stripTrailingZeros().toPlainString() + " since " + since
                        + "); ask an administrator to raise budget " + b.id() + " or wait for the next " + b.period());
            }
        }
        return Optional.empty();
    }

    private static String periodWord(String period) {
        return period.equals("day") ? "daily" : "monthly";
    }

    Instant periodStart(String period) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate start = period.equals("day") ? today : today.withDayOfMonth(1);
        return start.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public List<Budget> list() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select id, scope, subject, period, max_tokens, max_cost from gateway_budget order by id")
                    .getResultList();
            return rows.stream()
                    .map(r -> new Budget(
                            Columns.longValue(r[0]),
                            (String) r[1],
                            (String) r[2],
                            (String) r[3],
                            r[4] == null ? null : Columns.longValue(r[4]),
                            (BigDecimal) r[5]))
                    .toList();
        });
    }

    public Budget create(
            String scope, String subject, String period, @Nullable Long maxTokens, @Nullable BigDecimal maxCost) {
        long id = QuarkusTransaction.joiningExisting()
                .call(() -> ((Number) em.createNativeQuery(
                                        "insert into gateway_budget (scope, subject, period, max_tokens, max_cost) values (?1, ?2, ?3, cast(?4 as bigint), cast(?5 as numeric)) returning id")
                                .setParameter(1, scope)
                                .setParameter(2, subject)
                                .setParameter(3, period)
                                .setParameter(4, maxTokens)
                                .setParameter(5, maxCost)
                                .getSingleResult())
                        .longValue());
        return new Budget(id, scope, subject, period, maxTokens, maxCost);
    }

    public boolean delete(long id) {
        return QuarkusTransaction.joiningExisting()
                        .call(() -> em.createNativeQuery("delete from gateway_budget where id = ?1")
                                .setParameter(1, id)
                                .executeUpdate())
                > 0;
    }
}
