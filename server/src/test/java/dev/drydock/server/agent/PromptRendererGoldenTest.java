package dev.drydock.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.event.Action;
import dev.drydock.server.agent.event.Conversation;
import dev.drydock.server.agent.event.Conversation.ToolCall;
import dev.drydock.server.agent.event.Event;
import dev.drydock.server.agent.event.Lifecycle;
import dev.drydock.server.agent.event.Observation;
import dev.drydock.server.agent.event.Progress;
import dev.drydock.server.agent.event.Source;
import dev.drydock.server.agent.model.Message;
import dev.drydock.server.agent.model.PromptRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden test of the one events → prompt function (-Dgolden.update=true rewrites the expectation). */
class PromptRendererGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/prompt-fix-calc.txt");

    @Test
    void shouldRenderLogAsChatMessages() throws IOException {
        // Given
        InMemoryEventLog log = new InMemoryEventLog(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        String s = "g";
        log.append(s, Source.USER, new Lifecycle.SessionStarted("code", "Fix add()", "demo", "calc", "abc"));
        log.append(
                s,
                Source.SYSTEM,
                new Progress.ContextPrepared(
                        "You are the code droid.",
                        List.of("AGENTS.md"),
                        "### AGENTS.md\n\nSmall functions.",
                        "- Languages: Python (2 files)"));
        Event r1 = log.append(
                s,
                Source.AGENT,
                new Conversation.ModelReplied(
                        "Reading.",
                        List.of(
                                new ToolCall("c1", "read_file", "{\"path\":\"calc.py\"}"),
                                new ToolCall("c2", "run_tests", "{}"))));
        log.append(
                s,
                Source.AGENT,
                r1.seq(),
                new Action.InvokeTool("c1", "read_file", "{\"path\":\"calc.py\"}", Action.Risk.READ_ONLY));
        log.append(
                s,
                Source.ENVIRONMENT,
                4L,
                new Observation.ToolSucceeded("c1", "1\tdef add(a, b):\n2\t    return a - b\n"));
        log.append(
                s,
                Source.AGENT,
                r1.seq(),
                new Action.InvokeTool("c2", "run_tests", "{}", Action.Risk.WRITES_WORKSPACE));
        log.append(
                s,
                Source.ENVIRONMENT,
                6L,
                new Observation.CommandFinished("c2", "make test", 1, "FAIL: test_add", false));
        log.append(s, Source.SYSTEM, new Progress.HistoryCondensed(5, 1, 10));
        log.append(s, Source.USER, new Conversation.UserMessage("Keep the signature."));
        log.append(
                s,
                Source.AGENT,
                new Conversation.ModelReplied("", List.of(new ToolCall("c3", "finish", "{\"summary\":\"x\"}"))));
        log.append(
                s,
                Source.ENVIRONMENT,
                new Observation.ActionRejected("c3", Observation.RejectedBy.COMPLETION_RULE, "tests fail"));
        log.append(s, Source.SYSTEM, new Observation.FormatRejected("", "Your reply called no tool."));

        // When
        PromptRenderer.Rendered r = PromptRenderer.render(SessionState.fold(log.readAll(s)), 10_000);

        // Then
        StringBuilder out = new StringBuilder();
        for (Message m : r.messages()) {
            out.append("== ")
                    .append(m.role())
                    .append(m.toolCallId().isEmpty() ? "" : " [" + m.toolCallId() + "]")
                    .append('\n')
                    .append(m.content())
                    .append('\n');
            m.toolCalls()
                    .forEach(c -> out.append("-> ")
                            .append(c.id())
                            .append(' ')
                            .append(c.tool())
                            .append(' ')
                            .append(c.arguments())
                            .append('\n'));
        }
        out.append("== meter ").append(r.meter()).append('\n');
        if (Boolean.getBoolean("golden.update") || !Files.exists(GOLDEN)) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, out.toString());
        }
        assertThat(out.toString()).isEqualTo(Files.readString(GOLDEN));
    }
}
