package dev.drydock.server.gateway.toolcall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.gateway.core.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds tool calls that a model wrote as text: {@code <tool_call>{json}</tool_call>} (Hermes/Qwen),
 * {@code <function_call>…}, fenced {@code ```json} blocks, or a bare JSON object as the whole answer,
 * with {@code name} + {@code arguments} (or {@code parameters}), or OpenAI's {@code function} wrapper.
 * It never throws: broken JSON or an unknown tool becomes a {@link MalformedToolCall}.
 */
public final class TextToolCallParser {
    private static final Pattern TAGGED =
            Pattern.compile("<(tool_call|function_call)>\\s*([\\s\\S]*?)\\s*(?:</\\1>|\\z)");
    private static final Pattern FENCED = Pattern.compile("```(?:json|tool_call)?\\s*\\n([\\s\\S]*?)\\n?```");

    private final ObjectMapper json;

    public TextToolCallParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Parses {@code text}; {@code toolNames} are the tools the request offered (a call to another name
     * is malformed). Fenced or bare JSON only counts when it names an offered tool.
     */
    public TextToolCalls parse(String text, Set<String> toolNames) {
        List<ToolCall> calls = new ArrayList<>();
        List<MalformedToolCall> errors = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        Matcher tagged = TAGGED.matcher(text);
        int last = 0;
        boolean any = false;
        while (tagged.find()) {
            any = true;
            rest.append(text, last, tagged.start());
            last = tagged.end();
            interpret(tagged.group(2), toolNames, true, calls, errors);
        }
        if (any) {
            rest.append(text.substring(last));
            return new TextToolCalls(calls, errors, rest.toString().strip());
        }
        Matcher fenced = FENCED.matcher(text);
        while (fenced.find()) {
            int before = calls.size() + errors.size();
            interpret(fenced.group(1), toolNames, false, calls, errors);
            if (calls.size() + errors.size() > before) {
                rest.append(text, last, fenced.start());
                last = fenced.end();
            }
        }
        rest.append(text.substring(last));
        String trimmed = text.strip();
        if (calls.isEmpty() && errors.isEmpty() && trimmed.startsWith("{") && trimmed.endsWith("}")) {
            interpret(trimmed, toolNames, false, calls, errors);
            if (!calls.isEmpty() || !errors.isEmpty()) {
                return new TextToolCalls(calls, errors, "");
            }
        }
        return new TextToolCalls(calls, errors, rest.toString().strip());
    }

    private void interpret(
            String raw, Set<String> toolNames, boolean explicit, List<ToolCall> calls, List<MalformedToolCall> errors) {
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (JsonProcessingException e) {
            if (explicit) {
                errors.add(new MalformedToolCall(
                        raw,
                        "Your tool call is not valid JSON (" + e.getOriginalMessage()
                                + "). Write it as {\"name\": \"<tool>\", \"arguments\": {…}} and try again."));
            }
            return;
        }
        if (node == null) {
            if (explicit) {
                errors.add(new MalformedToolCall(
                        raw, "Your tool call is empty. Write it as {\"name\": \"<tool>\", \"arguments\": {…}}."));
            }
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        for (JsonNode item : items) {
            JsonNode fn = item.has("function") && item.get("function").isObject() ? item.get("function") : item;
            String name = fn.path("name").asText("");
            JsonNode args = fn.has("arguments") ? fn.get("arguments") : fn.get("parameters");
            if (name.isEmpty()) {
                if (explicit) {
                    errors.add(new MalformedToolCall(
                            raw,
                            "Your tool call has no \"name\". Write it as {\"name\": \"<tool>\", \"arguments\": {…}}."));
                }
                continue;
            }
            if (!toolNames.isEmpty() && !toolNames.contains(name)) {
                if (explicit || fn.has("arguments") || fn.has("parameters")) {
                    errors.add(new MalformedToolCall(
                            raw,
                            "There is no tool named \"" + name + "\". Available tools: "
                                    + String.join(
                                            ", ", toolNames.stream().sorted().toList()) + "."));
                }
                continue;
            }
            if (!explicit && args == null) {
                continue;
            }
            String arguments;
            if (args == null || args.isNull()) {
                arguments = "{}";
            } else if (args.isTextual()) {
                try {
                    JsonNode parsed = json.readTree(args.asText());
                    if (parsed == null || !parsed.isObject()) {
                        throw new IllegalArgumentException();
                    }
                    arguments = parsed.toString();
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    errors.add(new MalformedToolCall(
                            raw,
                            "The arguments of your call to \"" + name
                                    + "\" are not a JSON object. Pass them as an object."));
                    continue;
                }
            } else if (args.isObject()) {
                arguments = args.toString();
            } else {
                errors.add(new MalformedToolCall(
                        raw, "The arguments of your call to \"" + name + "\" must be a JSON object."));
                continue;
            }
            calls.add(new ToolCall("call_text_" + calls.size(), name, arguments));
        }
    }
}
