package dev.drydock.server.migration;

import dev.drydock.server.delivery.DeliveryTracker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The readiness nodes of a migration's tasks: in a migration that waits for merges ({@code readyWhen:
 * merged}), each succeeded task carries where the merge request its session delivered stands, read
 * from the deliverables (a change the scheduler has still to deliver counts as open); otherwise the
 * tasks as stored.
 */
@ApplicationScoped
class MergeGate {
    @Inject
    DeliveryTracker deliveries;

    List<Readiness.Node> nodes(MigrationStore.Row m, List<MigrationStore.TaskRow> tasks) {
        boolean merged = "merged".equals(m.readyWhen());
        return tasks.stream()
                .map(t -> {
                    Readiness.Node n = t.node();
                    String session = t.session();
                    if (!merged || t.state() != TaskState.SUCCEEDED || session == null) {
                        return n;
                    }
                    Readiness.Merge merge = deliveries
                            .mergeRequestState(session)
                            .map(s -> switch (s) {
                                case "opened" -> Readiness.Merge.OPEN;
                                case "closed" -> Readiness.Merge.CLOSED;
                                default -> Readiness.Merge.NONE;
                            })
                            // a change not yet delivered is waited for as well: the scheduler opens its merge request
                            .orElseGet(() -> deliveries.awaitsMergeRequest(m.workspace(), t.repository(), session)
                                    ? Readiness.Merge.OPEN
                                    : Readiness.Merge.NONE);
                    return new Readiness.Node(n.id(), n.dependsOn(), n.state(), n.unblocks(), merge);
                })
                .toList();
    }
}
