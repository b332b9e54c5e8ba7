package dev.drydock.server.gateway.accounting;

import dev.drydock.server.gateway.core.BudgetCheck;
import dev.drydock.server.gateway.core.CallContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Budgets per user, workspace or session, in tokens and/or cost per UTC day or month, checked
 * against the accounting table before each request. Subject {@code *} applies the limit to each
 * user (workspace, session) separately.
 */
@ApplicationScoped
public class Budgets implements BudgetCheck {
    @Inject DataSource dataSource;
    @Inject GatewayLedger ledger;
    Clock clock = Clock.systemUTC();

    /** One budget. */
    public record Budget(long id, String scope, String subject, String period, @Nullable Long maxTokens, @Nullable BigDecimal maxCost) {}

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
            GatewayLedger.Spent spent = ledger.spent(b.scope().equals("user") ? "username" : b.scope().equals("workspace") ? "workspace" : "session_id", value, since);
            if (b.maxTokens() != null && spent.tokens() >= b.maxTokens()) {
                return Optional.of("the " + periodWord(b.period()) + " token budget of " + b.scope() + " '" + value + "' is used up ("
                        + spent.tokens() + " of " + b.maxTokens() + " tokens since " + since + "); ask an administrator to raise budget " + b.id() + " or wait for the next " + b.period());
            }
            if (b.maxCost() != null && spent.cost().compareTo(b.maxCost()) >= 0) {
                return Optional.of("the " + periodWord(b.period()) + " cost budget of " + b.scope() + " '" + value + "' is used up ("
                        + spent.cost().stripTrailingZeros().toPlainString() + " of " + b.maxCost().stripTrailingZeros().toPlainString() + " since " + since
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
        List<Budget> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select * from gateway_budget order by id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long tokens = rs.getLong("max_tokens");
                Long maxTokens = rs.wasNull() ? null : tokens;
                out.add(new Budget(rs.getLong("id"), rs.getString("scope"), rs.getString("subject"), rs.getString("period"), maxTokens, rs.getBigDecimal("max_cost")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read budgets", e);
        }
        return out;
    }

    public Budget create(String scope, String subject, String period, @Nullable Long maxTokens, @Nullable BigDecimal maxCost) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into gateway_budget (scope, subject, period, max_tokens, max_cost) values (?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, scope);
            ps.setString(2, subject);
            ps.setString(3, period);
            ps.setObject(4, maxTokens);
            ps.setBigDecimal(5, maxCost);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Budget(keys.getLong(1), scope, subject, period, maxTokens, maxCost);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store budget", e);
        }
    }

    public boolean delete(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("delete from gateway_budget where id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete budget", e);
        }
    }
}
