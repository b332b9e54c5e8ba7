package dev.drydock.server.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OpenAiChunkTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldReadContentAndSkipFieldsTheGatewayDoesNotUse() throws Exception {
        // Given: a vLLM-style chunk with ids, timestamps, logprobs and nested objects before the delta
        String text = """
                {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":{"a":[1,{"b":2}]},
                 "choices":[{"index":0,"logprobs":{"content":[{"token":"x","logprob":-0.1}]},"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}""";

        // When
        OpenAiChunk chunk = OpenAiChunk.read(json, text);

        // Then
        assertThat(chunk.hasChoice()).isTrue();
        assertThat(chunk.content()).isEqualTo("Hel");
        assertThat(chunk.finishReason()).isNull();
        assertThat(chunk.toolCalls()).isNull();
        assertThat(chunk.usage()).isNull();
        assertThat(chunk.error()).isNull();
    }

    @Test
    void shouldReadOnlyTheFirstChoiceAndItsToolCallsAndFinishReason() throws Exception {
        // Given
        String text = """
                {"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"call_1","function":{"name":"read","arguments":"{\\"p"}}]},"finish_reason":"tool_calls"},
                            {"delta":{"content":"second choice"},"finish_reason":"stop"}]}""";

        // When
        OpenAiChunk chunk = OpenAiChunk.read(json, text);

        // Then
        assertThat(chunk.content()).isNull();
        assertThat(chunk.toolCalls()).isNotNull();
        assertThat(chunk.toolCalls().get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"p");
        assertThat(chunk.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void shouldReadUsageAndErrorAndTreatNonObjectChoiceAsEmpty() throws Exception {
        // Given
        String usage = "{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}";
        String error = "{\"error\":{\"message\":\"overloaded\"}}";
        String oddChoice = "{\"choices\":[7],\"usage\":null}";

        // When
        OpenAiChunk u = OpenAiChunk.read(json, usage);
        OpenAiChunk e = OpenAiChunk.read(json, error);
        OpenAiChunk o = OpenAiChunk.read(json, oddChoice);

        // Then
        assertThat(u.hasChoice()).isFalse();
        assertThat(u.usage().path("prompt_tokens").asLong()).isEqualTo(12);
        assertThat(e.error().path("message").asText()).isEqualTo("overloaded");
        assertThat(o.hasChoice()).isTrue();
        assertThat(o.content()).isNull();
        assertThat(o.usage()).isNull();
    }

    @Test
    void shouldSayNotAnObjectOrMalformedWhenChunkIsNeither() {
        assertThatThrownBy(() -> OpenAiChunk.read(json, "[1,2]")).isInstanceOf(OpenAiChunk.NotAnObject.class);
        assertThatThrownBy(() -> OpenAiChunk.read(json, "")).isInstanceOf(OpenAiChunk.NotAnObject.class);
        assertThatThrownBy(() -> OpenAiChunk.read(json, "{\"choices\":[{\"delta\":{\"content\":\"x\""))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> OpenAiChunk.read(json, "<html>busy</html>"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
