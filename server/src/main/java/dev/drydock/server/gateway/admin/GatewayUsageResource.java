package dev.drydock.server.gateway.admin;

import dev.drydock.server.auth.Roles;
import dev.drydock.server.egress.EgressLog;
import dev.drydock.server.egress.EgressRefusal;
import dev.drydock.server.gateway.accounting.Budgets;
import dev.drydock.server.gateway.accounting.GatewayLedger;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/** Accounting, budgets and egress refusals of the gateway, for administrators. */
@Path("/api/admin")
@RolesAllowed(Roles.DRYDOCK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GatewayUsageResource {
    @Inject
    GatewayLedger ledger;

    @Inject
    Budgets budgets;

    @Inject
    EgressLog egress;

    @Inject
    dev.drydock.server.audit.AuditTrail audit;

    @Inject
    dev.drydock.server.auth.CurrentUser currentUser;

    /** A budget as sent by an admin. */
    public record BudgetInput(
            @Nullable String scope,
            @Nullable String subject,
            @Nullable String period,
            @Nullable Long maxTokens,
            @Nullable BigDecimal maxCost) {}

    @GET
    @Path("model-requests")
    @Operation(summary = "Recent gateway requests (accounting records), newest first")
    public List<GatewayLedger.RequestView> requests(
            @QueryParam("user") @Nullable String user, @QueryParam("limit") @Nullable Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 1000) {
            throw ProblemException.badRequest("limit must be between 1 and 1000");
        }
        return ledger.recent(user, n);
    }

    @GET
    @Path("model-budgets")
    @Operation(summary = "List budgets")
    public List<Budgets.Budget> listBudgets() {
        return budgets.list();
    }

    @POST
    @Path("model-budgets")
    @Operation(
            summary =
                    "Create a budget: tokens and/or cost per day or month for a user, workspace or session (* = each)")
    public Budgets.Budget createBudget(@Nullable BudgetInput in) {
        if (in == null) {
            throw ProblemException.badRequest("send the budget as a JSON object");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (in.scope() == null || !List.of("user", "workspace", "session").contains(in.scope())) {
            errors.add(new Problem.FieldError("scope", "must be user, workspace or session"));
        }
        if (in.subject() == null || in.subject().isBlank()) {
            errors.add(new Problem.FieldError(
                    "subject", "is required: a username, workspace slug or session id, or * for each"));
        }
        if (in.period() == null || !List.of("day", "month").contains(in.period())) {
            errors.add(new Problem.FieldError("period", "must be day or month"));
        }
        if (in.maxTokens() == null && in.maxCost() == null) {
            errors.add(new Problem.FieldError("maxTokens", "set maxTokens, maxCost or both"));
        }
        if (in.maxTokens() != null && in.maxTokens() <= 0) {
            errors.add(new Problem.FieldError("maxTokens", "must be greater than 0"));
        }
        if (in.maxCost() != null && in.maxCost().signum() <= 0) {
            errors.add(new Problem.FieldError("maxCost", "must be greater than 0"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-budget",
                            "Invalid budget",
                            String.join(
                                    "; ",
                                    errors.stream()
                                            .map(f -> f.field() + " " + f.message())
                                            .toList()))
                    .withErrors(errors));
        }
        // scope, subject and period were checked above
        Budgets.Budget created = budgets.create(
                Objects.requireNonNull(in.scope()),
                Objects.requireNonNull(in.subject()).trim(),
                Objects.requireNonNull(in.period()),
                in.maxTokens(),
                in.maxCost());
        audit.append(dev.drydock.server.audit.AuditEntry.of(
                        currentUser.principal().subject(), "model-budget.created", "model-budget " + created.id())
                .with("scope", created.scope())
                .with("subject", created.subject())
                .with("period", created.period())
                .with("maxTokens", String.valueOf(created.maxTokens()))
                .with("maxCost", String.valueOf(created.maxCost())));
        return created;
    }

    @DELETE
    @Path("model-budgets/{id}")
    @Operation(summary = "Delete a budget")
    public void deleteBudget(@PathParam("id") long id) {
        if (!budgets.delete(id)) {
            throw ProblemException.notFound("Budget " + id);
        }
        audit.append(dev.drydock.server.audit.AuditEntry.of(
                currentUser.principal().subject(), "model-budget.deleted", "model-budget " + id));
    }

    @GET
    @Path("egress-refusals")
    @Operation(summary = "Recent outbound requests refused by the egress allow-list, newest first")
    public List<EgressRefusal> egressRefusals() {
        return egress.recent(100);
    }
}
