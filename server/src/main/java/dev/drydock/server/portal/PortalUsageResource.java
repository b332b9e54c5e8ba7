package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.egress.EgressLog;
import dev.drydock.server.egress.EgressRefusal;
import dev.drydock.server.gateway.accounting.GatewayLedger;
import dev.drydock.server.gateway.accounting.GatewayLedger.UsageRow;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.session.MemoryService;
import dev.drydock.server.session.MemoryService.MemoryView;
import dev.drydock.server.workspace.WorkspaceService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/admin/usage} and the other read-only admin pages: model usage by day (a bar chart
 * drawn on the server as SVG), user, workspace and model from the gateway's accounting table;
 * {@code /portal/admin/egress} the outbound requests the allow-list refused; {@code
 * /portal/admin/memories} what droids remembered, per workspace. For drydock-admins only.
 */
@Path("/portal/admin")
@Authenticated
public class PortalUsageResource {
    private static final String DRYDOCK_ADMIN_ONLY =
            "This page is for drydock-admins; ask one to give you the drydock-admin role in Keycloak.";
    /** The chart's drawing area, in SVG user units. */
    static final int CHART_WIDTH = 720;

    static final int CHART_HEIGHT = 200;
    static final int CHART_TOP = 10;

    @Inject
    CurrentUser currentUser;

    @Inject
    GatewayLedger ledger;

    @Inject
    EgressLog egress;

    @Inject
    MemoryService memories;

    @Inject
    WorkspaceService workspaces;

    private final Clock clock = Clock.systemUTC();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance usage(
                Principal user, int days, List<Integer> ranges, Chart chart, List<Group> groups, Total all);

        static native TemplateInstance egress(Principal user, List<EgressRefusal> refusals);

        static native TemplateInstance memories(Principal user, List<WorkspaceMemories> workspaces);
    }

    /** Sums of one user, workspace or model (or all of them). */
    public record Total(String name, long requests, long promptTokens, long completionTokens, String cost) {
        public long tokens() {
            return promptTokens + completionTokens;
        }
    }

    /** The tokens-per-day chart: one bar per day, the tallest at full height. */
    public record Chart(long max, List<Bar> bars, String description) {}

    /** One day's bar; {@code label} is set on every few days so that the labels do not overlap. */
    public record Bar(String date, String label, long tokens, int requests, int x, int y, int width, int height) {}

    /** One breakdown table: its element id, heading, first column and rows. */
    public record Group(String id, String title, String column, List<Total> totals) {}

    /** A workspace's memories. */
    public record WorkspaceMemories(String slug, List<MemoryView> memories) {}

    @GET
    @Path("/usage")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance usage(@QueryParam("days") @Nullable Integer days) {
        Principal user = admin();
        int n = days == null ? 30 : days;
        if (n < 1 || n > 366) {
            throw ProblemException.badRequest("days must be between 1 and 366");
        }
        LocalDate today = LocalDate.now(clock);
        LocalDate first = today.minusDays(n - 1L);
        List<UsageRow> rows = ledger.usage(first.atStartOfDay(ZoneOffset.UTC).toInstant());
        List<Group> groups = List.of(
                new Group("by-user", "By user", "User", totals(rows, UsageRow::username)),
                new Group("by-workspace", "By workspace", "Workspace", totals(rows, UsageRow::workspace)),
                new Group("by-model", "By model", "Model", totals(rows, UsageRow::model)));
        return Templates.usage(
                user,
                n,
                List.of(7, 30, 90, 365),
                chart(rows, first, n),
                groups,
                totals(rows, r -> "all").stream().findFirst().orElse(new Total("all", 0, 0, 0, "0.0000")));
    }

    @GET
    @Path("/egress")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance egress() {
        return Templates.egress(admin(), egress.recent(100));
    }

    @GET
    @Path("/memories")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance memories() {
        Principal user = admin();
        List<WorkspaceMemories> out = new ArrayList<>();
        for (var ws : workspaces.list(user)) {
            out.add(new WorkspaceMemories(ws.slug(), memories.list(user, ws.slug())));
        }
        return Templates.memories(user, out);
    }

    /** Tokens per day from {@code first} for {@code days} days, days without requests as empty bars. */
    static Chart chart(List<UsageRow> rows, LocalDate first, int days) {
        Map<LocalDate, long[]> perDay = new LinkedHashMap<>();
        for (int i = 0; i < days; i++) {
            perDay.put(first.plusDays(i), new long[2]);
        }
        for (UsageRow r : rows) {
            long[] d = perDay.get(r.day());
            if (d != null) {
                d[0] += r.promptTokens() + r.completionTokens();
                d[1] += r.requests();
            }
        }
        long max = perDay.values().stream().mapToLong(d -> d[0]).max().orElse(0);
        int slot = CHART_WIDTH / days;
        int width = Math.max(1, slot - Math.max(1, slot / 5));
        int every = Math.max(1, (int) Math.ceil(days / 8.0));
        List<Bar> bars = new ArrayList<>();
        int i = 0;
        @Nullable LocalDate busiest = null;
        for (var e : perDay.entrySet()) {
            long tokens = e.getValue()[0];
            int height = max == 0 ? 0 : (int) Math.max(tokens > 0 ? 1 : 0, tokens * CHART_HEIGHT / max);
            String date = e.getKey().toString();
            bars.add(new Bar(
                    date,
                    i % every == 0 ? date.substring(5) : "",
                    tokens,
                    (int) e.getValue()[1],
                    i * slot,
                    CHART_TOP + CHART_HEIGHT - height,
                    width,
                    height));
            if (tokens == max && max > 0) {
                busiest = e.getKey();
            }
            i++;
        }
        String description = max == 0
                ? "No model requests in these " + days + " days."
                : "Tokens per day over " + days + " days; the busiest day, " + busiest + ", used " + max + " tokens.";
        return new Chart(max, bars, description);
    }

    /** Sums of the rows grouped by {@code key}, most tokens first. */
    static List<Total> totals(List<UsageRow> rows, Function<UsageRow, String> key) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, BigDecimal> costs = new LinkedHashMap<>();
        for (UsageRow r : rows) {
            String k = key.apply(r) == null || key.apply(r).isEmpty() ? "(none)" : key.apply(r);
            long[] s = sums.computeIfAbsent(k, x -> new long[3]);
            s[0] += r.requests();
            s[1] += r.promptTokens();
            s[2] += r.completionTokens();
            costs.merge(k, r.cost(), BigDecimal::add);
        }
        return sums.entrySet().stream()
                .map(e -> new Total(
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        e.getValue()[2],
                        costs.getOrDefault(e.getKey(), java.math.BigDecimal.ZERO)
                                .setScale(4, RoundingMode.HALF_UP)
                                .toPlainString()))
                .sorted(Comparator.comparingLong(Total::tokens).reversed().thenComparing(Total::name))
                .toList();
    }

    private Principal admin() {
        Principal user = currentUser.principal();
        if (!user.isDrydockAdmin()) {
            throw ProblemException.forbidden(DRYDOCK_ADMIN_ONLY);
        }
        return user;
    }
}
