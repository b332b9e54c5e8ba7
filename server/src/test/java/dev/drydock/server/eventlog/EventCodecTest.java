package dev.drydock.server.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Oversight;
import dev.drydock.server.agent.event.Payload;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.event.Telemetry;
import dev.drydock.server.agent.event.Unknown;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    final EventCodec codec = new EventCodec();

    /** One example of every payload type, in catalogue order. */
    static final List<Payload> SAMPLES = List.of(
            new Lifecycle.SessionStarted("code", "Fix the failing test", "demo", "calc", "4f2a9c1"),
            new Lifecycle.SessionInterrupted("server restarted"),
            new Lifecycle.SessionResumed("resumed by mike"),
            new Lifecycle.SessionFinished(Lifecycle.Outcome.COMPLETED, "Fixed add()"),
            new Conversation.UserMessage("Also update the README"),
            new Conversation.Attached("PROJ-7.txt", "jira PROJ-7", "add() times out for inputs over 10^6"),
            new Conversation.ModelReplied(
                    "Let me look.", List.of(new ToolCall("call_1", "read_file", "{\"path\":\"calc.py\"}"))),
            new Conversation.QuestionAsked("call_2", "Numbers only?", List.of("yes", "no")),
            new Conversation.QuestionAnswered("call_2", "yes"),
            new Action.InvokeTool("call_1", "read_file", "{\"path\":\"calc.py\"}", Risk.READ_ONLY),
            new Observation.ToolSucceeded("call_1", "1\tdef add(a, b):"),
            new Observation.CommandFinished("call_3", "make test", 1, "FAIL", false),
            new Observation.FileChanged("call_4", "calc.py", "--- a/calc.py\n+++ b/calc.py\n"),
            new Observation.ToolFailed("call_5", "old_text is ambiguous"),
            new Observation.ActionRejected("call_6", Observation.RejectedBy.COMPLETION_RULE, "tests fail"),
            new Observation.FormatRejected("call_7", "arguments are not valid JSON"),
            new Oversight.ApprovalRequested(
                    "call_8", "run_command", "{\"command\":\"curl x\"}", Risk.NETWORK, "autonomy SUPERVISED asks"),
            new Oversight.ActionApproved("call_8", "mike"),
            new Oversight.ActionDenied("call_9", "mike", "not now"),
            new Oversight.CancelRequested("mike"),
            new Progress.ContextPrepared(
                    "You are the code droid.",
                    List.of("AGENTS.md"),
                    "### AGENTS.md\n\nUse tabs.",
                    "- Languages: Python (2 files)"),
            new Progress.PlanUpdated(List.of(
                    new Progress.PlanStep("Reproduce", Progress.StepStatus.DONE),
                    new Progress.PlanStep("Fix", Progress.StepStatus.IN_PROGRESS))),
            new Progress.HistoryCondensed(42, 7, 3100),
            new Progress.ArtifactProduced(Progress.ArtifactKind.DIFF, "Changes", "text/x-diff", "diff --git ...", ""),
            new Telemetry.ContextMeasured(128000, 900, 300, 4000, 2500),
            new Telemetry.ModelUsage("gpt-oss-20b", 5200, 310, 1200),
            new Telemetry.ModelCallFailed(1, "connection refused"),
            new Telemetry.ClassificationRaised("internal", "secret", "read deploy/prod/db.env (labelled secret)"),
            new Telemetry.MirrorRequested(
                    "GET", "http://nexus.corp:8081/repository/npm/left-pad", "corp-npm", true, true),
            new Telemetry.SetupCompleted(
                    "npm ci", "registration", java.util.List.of("corp-npm"), java.util.List.of("npm-token")));

    @Test
    void shouldRoundTripEveryPayloadType() {
        for (Payload p : SAMPLES) {
            // When
            Payload back = codec.decode(codec.typeName(p), codec.encode(p));

            // Then
            assertThat(back).isEqualTo(p);
        }
    }

    @Test
    void shouldNameEveryPayloadTypeOnceAndHaveASample() {
        // Given
        Set<Class<?>> leaves = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        leaves(Payload.class, leaves);
        leaves.remove(Unknown.class);

        // Then
        assertThat(new ArrayList<Class<?>>(EventCodec.TYPE_NAMES.keySet())).containsExactlyInAnyOrderElementsOf(leaves);
        assertThat(SAMPLES.stream().<Class<?>>map(Object::getClass).toList())
                .containsExactlyElementsOf(new ArrayList<Class<?>>(EventCodec.TYPE_NAMES.keySet()));
        assertThat(Set.copyOf(EventCodec.TYPE_NAMES.values())).hasSize(EventCodec.TYPE_NAMES.size());
        assertThat(EventCodec.TYPE_NAMES.values()).allMatch(n -> n.matches("[a-z]+(\\.[a-z-]+)+\\.v[0-9]+"));
    }

    @Test
    void shouldDecodeUnknownTypesWithoutFailing() {
        // When
        Payload p = codec.decode("telepathy.sent.v3", "{\"to\":\"mike\"}");
        Payload drifted = codec.decode("session.finished.v1", "{\"outcome\":\"TELEPORTED\"}");

        // Then
        assertThat(p).isEqualTo(new Unknown("telepathy.sent.v3", "{\"to\":\"mike\"}"));
        assertThat(drifted).isInstanceOf(Unknown.class);
        assertThat(codec.encode(p)).isEqualTo("{\"to\":\"mike\"}");
    }

    @Test
    void shouldIgnoreFieldsAddedByNewerVersions() {
        // When
        Payload p = codec.decode("tool.failed.v1", "{\"callId\":\"c\",\"error\":\"e\",\"severity\":\"high\"}");

        // Then
        assertThat(p).isEqualTo(new Observation.ToolFailed("c", "e"));
    }

    @Test
    void shouldEncodeEnvelope() {
        // Given
        Event e = new Event(
                "s",
                7,
                Instant.parse("2026-01-01T00:00:00Z"),
                Source.ENVIRONMENT,
                6L,
                new Observation.ToolFailed("c", "e"));

        // When
        String json = codec.encodeEvent(e);

        // Then
        assertThat(json)
                .isEqualTo(
                        "{\"sessionId\":\"s\",\"seq\":7,\"at\":\"2026-01-01T00:00:00Z\",\"source\":\"ENVIRONMENT\",\"causedBy\":6,\"type\":\"tool.failed.v1\",\"payload\":{\"callId\":\"c\",\"error\":\"e\"}}");
    }

    /** docs/events.md is generated from the sealed hierarchy; this fails when it is stale. Update with -Dgolden.update=true. */
    @Test
    void shouldKeepEventCatalogueUpToDate() throws IOException {
        // Given
        Path doc = Path.of(System.getProperty("drydock.repo-root", "..")).resolve("docs/events.md");
        Map<Class<?>, Payload> samples =
                SAMPLES.stream().collect(Collectors.toMap(Object::getClass, Function.identity()));

        // When
        StringBuilder out = new StringBuilder();
        out.append("# Event catalogue\n\n");
        out.append(
                "Generated from the sealed `Payload` hierarchy by `EventCodecTest` (`-Dgolden.update=true` rewrites it). Do not edit by hand.\n\n");
        out.append(
                "Every event is an envelope `{sessionId, seq, at, source, causedBy, type, payload}`; `type` is the stable name below. ");
        out.append("Names never change when Java classes are renamed; a changed shape gets a new version suffix. ");
        out.append("Readers decode names they do not know to `Unknown` and keep going.\n\n");
        String family = "";
        for (Map.Entry<Class<? extends Payload>, String> e : EventCodec.TYPE_NAMES.entrySet()) {
            Class<?> c = e.getKey();
            String f = c.getInterfaces()[0].getSimpleName();
            if (!f.equals(family)) {
                family = f;
                out.append("## ").append(f).append("\n\n");
            }
            out.append("### `")
                    .append(e.getValue())
                    .append("` — ")
                    .append(c.getSimpleName())
                    .append("\n\n");
            out.append("| field | type |\n| --- | --- |\n");
            for (RecordComponent rc : c.getRecordComponents()) {
                out.append("| `")
                        .append(rc.getName())
                        .append("` | `")
                        .append(rc.getGenericType()
                                .getTypeName()
                                .replaceAll("[a-z.]+\\.", "")
                                .replace('$', '.'))
                        .append("` |\n");
            }
            out.append("\nExample:\n\n```json\n")
                    .append(codec.encode(samples.get(c)))
                    .append("\n```\n\n");
        }
        String generated = out.toString();

        // Then
        if (Boolean.getBoolean("golden.update") || !Files.exists(doc)) {
            Files.createDirectories(doc.getParent());
            Files.writeString(doc, generated);
        }
        assertThat(Files.readString(doc))
                .as("docs/events.md is stale: run with -Dgolden.update=true")
                .isEqualTo(generated);
    }

    private static void leaves(Class<?> c, Set<Class<?>> out) {
        if (c.isSealed()) {
            for (Class<?> sub : c.getPermittedSubclasses()) {
                leaves(sub, out);
            }
        } else {
            out.add(c);
        }
    }

    @Test
    void shouldReplaceNulAndCountItWhenAPayloadHoldsNulCharacters() {
        // Given a command whose output holds two NULs, beside a literal backslash-u0000 that is text
        var payload = new Observation.CommandFinished("c1", "cat bin", 0, "a\0b\0 \\u0000", false);

        // When
        String json = codec.encode(payload);

        // Then the NULs are U+FFFD, the text stays, and the object says how many were replaced
        assertThat(json).startsWith("{\"nulReplaced\":2,");
        var decoded = (Observation.CommandFinished) codec.decode("command.finished.v1", json);
        assertThat(decoded.output()).isEqualTo("a\uFFFDb\uFFFD \\u0000");
    }

    @Test
    void shouldLeaveThePayloadAsItIsWhenItHoldsNoNul() {
        // Given
        var payload = new Observation.CommandFinished("c1", "echo \\u0000", 0, "\\u0000", false);

        // When
        String json = codec.encode(payload);

        // Then
        assertThat(json).doesNotContain("nulReplaced");
        assertThat(codec.decode("command.finished.v1", json)).isEqualTo(payload);
    }

    static List<String> names() {
        return new ArrayList<>(EventCodec.TYPE_NAMES.values());
    }
}
