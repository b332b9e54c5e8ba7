package dev.drydock.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.gateway.toolcall.TextToolCallParser;
import dev.drydock.server.gateway.toolcall.TextToolCalls;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayToolCallParserTest {
    private final TextToolCallParser parser = new TextToolCallParser(new ObjectMapper());
    private final Set<String> tools = Set.of("read_file", "run");

    @Test
    void shouldParseTaggedCallAndKeepSurroundingText() {
        // When
        TextToolCalls r = parser.parse(
                "Let me look.\n<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}</tool_call>",
                tools);

        // Then
        assertThat(r.calls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("read_file");
            assertThat(c.arguments()).isEqualTo("{\"path\":\"a.txt\"}");
        });
        assertThat(r.text()).isEqualTo("Let me look.");
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void shouldParseFencedJsonWithParametersAndStringArguments() {
        // When
        TextToolCalls r = parser.parse(
                "```json\n[{\"name\":\"run\",\"parameters\":{\"cmd\":\"ls\"}},{\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"b\\\"}\"}}]\n```",
                tools);

        // Then
        assertThat(r.calls())
                .extracting(c -> c.name() + " " + c.arguments())
                .containsExactly("run {\"cmd\":\"ls\"}", "read_file {\"path\":\"b\"}");
    }

    @Test
    void shouldReturnTypedErrorWhenTaggedJsonIsBroken() {
        // When
        TextToolCalls r =
                parser.parse("<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": </tool_call>", tools);

        // Then
        assertThat(r.calls()).isEmpty();
        assertThat(r.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("Your tool call is not valid JSON"));
    }

    @Test
    void shouldReturnTypedErrorWhenToolIsUnknown() {
        // When
        TextToolCalls r = parser.parse("<tool_call>{\"name\": \"rm_rf\", \"arguments\": {}}</tool_call>", tools);

        // Then
        assertThat(r.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .contains("no tool named \"rm_rf\"")
                        .contains("read_file, run"));
    }

    @Test
    void shouldLeaveOrdinaryJsonAnswersAlone() {
        // When
        TextToolCalls r = parser.parse("```json\n{\"status\": \"done\"}\n```", tools);

        // Then
        assertThat(r.calls()).isEmpty();
        assertThat(r.errors()).isEmpty();
        assertThat(r.text()).contains("status");
    }

    @Test
    void shouldReadUnclosedTagUntilEndOfText() {
        // When
        TextToolCalls r = parser.parse("<tool_call>{\"name\": \"run\", \"arguments\": {\"cmd\": \"make\"}}", tools);

        // Then
        assertThat(r.calls()).singleElement().extracting(c -> c.arguments()).isEqualTo("{\"cmd\":\"make\"}");
    }
}
