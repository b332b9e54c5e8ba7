package dev.drydock.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.agent.RecordedSessions;
import dev.drydock.server.agent.SessionReplay;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.tool.Autonomy;
import dev.drydock.server.eventlog.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Recorded sessions as a regression suite: every {@code src/test/resources/recorded-sessions/NAME.AUTONOMY.jsonl}
 * (the envelopes {@code GET /api/sessions/{id}/events} gives, one per line) is replayed offline with the
 * code droid; a change to the loop, the prompts' rendering or the policy shows which of them diverge and
 * where. {@code -Dgolden.update=true} records the built-in ones again.
 */
class RecordedSessionFixturesTest {
    static final Path FIXTURES = Path.of("src/test/resources/recorded-sessions");
    static final ObjectMapper JSON = new ObjectMapper();
    static final EventCodec CODEC = new EventCodec();

    static void updateIfAsked() throws IOException {
        if (!Boolean.getBoolean("golden.update")) {
            return;
        }
        Files.createDirectories(FIXTURES);
        for (Autonomy a : List.of(Autonomy.AUTO_EDIT, Autonomy.APPROVE_WRITES)) {
            StringBuilder out = new StringBuilder();
            RecordedSessions.fixCalc("fix-calc-" + a.label(), a)
                    .forEach(e -> out.append(CODEC.encodeEvent(e)).append('\n'));
            Files.writeString(FIXTURES.resolve("fix-calc." + a.label() + ".jsonl"), out.toString());
        }
    }

    /** Fixture name → its events. */
    static Map<String, List<Event>> fixtures() throws IOException {
        updateIfAsked();
        Map<String, List<Event>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(FIXTURES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                List<Event> events = new ArrayList<>();
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode e = JSON.readTree(line);
                    events.add(new Event(
                            e.path("sessionId").asText(),
                            e.path("seq").asLong(),
                            Instant.parse(e.path("at").asText()),
                            Source.valueOf(e.path("source").asText()),
                            e.path("causedBy").isNull()
                                    ? null
                                    : e.path("causedBy").asLong(),
                            CODEC.decode(
                                    e.path("type").asText(), e.path("payload").toString())));
                }
                out.put(f.getFileName().toString().replace(".jsonl", ""), events);
            }
        }
        return out;
    }

    static SessionReplay.Result replay(List<Event> events, Autonomy autonomy) {
        long window = events.stream()
                .map(Event::payload)
                .filter(Telemetry.ContextMeasured.class::isInstance)
                .map(p -> ((Telemetry.ContextMeasured) p).window())
                .findFirst()
                .orElse(100_000L);
        return SessionReplay.replay(
                events,
                new SessionReplay.Setup(
                        RecordedSessions.codeDroid(),
                        autonomy,
                        RecordedSessions.context(events.getFirst().sessionId(), new OfflineWorkspace(Map.of())),
                        window,
                        3),
                SessionReplay.Fingerprints.none());
    }

    static Autonomy recordedUnder(String fixture) {
        return Autonomy.ofLabel(fixture.substring(fixture.indexOf('.') + 1));
    }

    @Test
    void shouldTakeTheRecordedDecisionsWhenEveryRecordedSessionIsReplayedUnderItsOwnPolicy() throws IOException {
        // Given
        Map<String, List<Event>> fixtures = fixtures();
        assertThat(fixtures).isNotEmpty();

        // When
        Map<String, String> results = new TreeMap<>();
        fixtures.forEach((name, events) ->
                results.put(name, replay(events, recordedUnder(name)).json()));

        // Then
        assertThat(results).allSatisfy((name, json) -> assertThat(json).as(name).contains("\"diverged\":false"));
    }

    @Test
    void shouldNameTheSessionsThatDivergeAndWhereWhenThePolicyIsTightenedToReadOnly() throws IOException {
        // Given
        Map<String, List<Event>> fixtures = fixtures();

        // When
        Map<String, Long> divergences = new TreeMap<>();
        fixtures.forEach((name, events) -> {
            SessionReplay.Result r = replay(events, Autonomy.READ_ONLY);
            if (r.diverged()) {
                divergences.put(name, r.firstDivergence());
            }
        });

        // Then every fixture ran its tests (a workspace write), which read-only blocks: each diverges there
        assertThat(divergences).containsOnlyKeys(fixtures.keySet());
        fixtures.forEach((name, events) -> assertThat(divergences.get(name))
                .as(name)
                .isEqualTo(events.stream()
                        .filter(e -> e.payload() instanceof dev.drydock.server.agent.event.Action.InvokeTool t
                                        && t.tool().equals("run_tests")
                                || e.payload() instanceof dev.drydock.server.agent.event.Oversight.ApprovalRequested a
                                        && a.tool().equals("run_tests"))
                        .findFirst()
                        .orElseThrow()
                        .seq()));
    }
}
