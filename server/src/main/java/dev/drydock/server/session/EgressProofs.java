package dev.drydock.server.session;

import dev.drydock.server.agent.EventLog;
import dev.drydock.server.agent.SessionState;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.event.Telemetry.EgressProofRecorded;
import dev.drydock.server.droid.DroidProfiles;
import dev.drydock.server.droid.ModelRoutes;
import dev.drydock.server.egress.EgressLog;
import dev.drydock.server.egress.EgressRefusal;
import dev.drydock.server.workspace.WorkspaceSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A session's egress proof (issue #23): its effective egress policy and every connection attempt
 * refused from its sandbox (the mirror proxy's refusals, in its log) or from the server on its behalf
 * (the {@code egress_refusal} rows that name it). The runner writes it as the session's closing event.
 */
@ApplicationScoped
public class EgressProofs {
    @Inject
    EventLog log;

    @Inject
    EgressLog refusals;

    @Inject
    DroidProfiles profiles;

    @Inject
    ModelRoutes models;

    @Inject
    WorkspaceSettings settings;

    @Inject
    EntityManager em;

    /** The proof as of now, from the session's log and the server's refusals. */
    public EgressProofRecorded of(String id) {
        return of(id, log.readAll(id));
    }

    /** The proof of a session whose events are {@code events}. */
    public EgressProofRecorded of(String id, List<Event> events) {
        Set<String> mirrors = new LinkedHashSet<>();
        List<EgressProofRecorded.Refusal> listed = new ArrayList<>();
        for (Event e : events) {
            switch (e.payload()) {
                case Telemetry.SetupCompleted s -> mirrors.addAll(s.mirrors());
                case Telemetry.MirrorRequested m -> {
                    if (m.allowed()) {
                        mirrors.add(m.mirror());
                    } else {
                        listed.add(new EgressProofRecorded.Refusal(
                                "sandbox",
                                e.seq(),
                                e.at(),
                                m.target(),
                                m.method() + " refused by the sandbox's mirror proxy"
                                        + (m.setup() ? " (setup step)" : "")));
                    }
                }
                default -> {}
            }
        }
        int sandboxRefused = listed.size();
        for (EgressRefusal r : refusals.ofSession(id, EgressProofRecorded.MAX_LISTED)) {
            listed.add(new EgressProofRecorded.Refusal(
                    "server", 0, r.at(), r.url(), "refused by the server's egress allow-list (" + r.purpose() + ")"));
        }
        long serverRefused = refusals.countOfSession(id);
        listed.sort(Comparator.comparing(EgressProofRecorded.Refusal::at));
        List<String> endpoints = SessionState.fold(events)
                .started()
                .map(s -> models.endpoints(profiles.get(s.droid()).route(), modelCaller(id, s)))
                .orElse(List.of());
        return new EgressProofRecorded(
                mirrors.isEmpty() ? "off" : "mirrors",
                List.copyOf(mirrors),
                endpoints,
                (int) Math.min(Integer.MAX_VALUE, sandboxRefused + serverRefused),
                listed.subList(0, Math.min(listed.size(), EgressProofRecorded.MAX_LISTED)));
    }

    /** Who a session's model calls are made for: its creator, workspace, droid and the repository's classification. */
    public ModelRoutes.Caller modelCaller(String id, Lifecycle.SessionStarted started) {
        @SuppressWarnings("unchecked")
        List<String> creators = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery("select created_by from droid_session where id = ?1")
                        .setParameter(1, UUID.fromString(id))
                        .getResultList());
        return new ModelRoutes.Caller(
                creators.stream().findFirst().orElse("unknown"),
                started.workspace(),
                id,
                started.droid(),
                settings.classification(started.workspace(), started.repo()));
    }
}
