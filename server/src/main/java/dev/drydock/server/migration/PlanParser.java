package dev.drydock.server.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.server.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The strict plan schema, read from JSON: {@code {"tasks": [{"id", "repository", "scope",
 * "instructions"?, "acceptance", "dependsOn"?}]}}. Unknown fields, wrong types, blank values and
 * repositories outside the migration are refused with a message that names the field; the graph rules
 * (duplicates, dangling, self-dependencies, cycles) are {@link TaskGraph}'s.
 */
public final class PlanParser {
    /** A task id: short, readable, safe in a URL path segment. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Most tasks one plan may have. */
    static final int MAX_TASKS = 200;

    private static final Set<String> TOP = Set.of("tasks");
    private static final Set<String> FIELDS =
            Set.of("id", "repository", "scope", "instructions", "acceptance", "dependsOn");
    private static final Pattern FENCE = Pattern.compile("```(?:json)?\\s*\\n(.*?)\\n\\s*```", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanParser() {}

    /**
     * The plan in a planning droid's document: the whole document when it is JSON, else its last
     * fenced {@code json} block. Refused when there is none or it breaks the schema or the graph rules.
     */
    public static List<PlanTask> fromDocument(String document, Set<String> repositories) {
        String text = document.strip();
        if (!text.startsWith("{")) {
            Matcher m = FENCE.matcher(document);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last == null) {
                throw PlanProblem.of(
                        "document",
                        "the planning droid's document holds no plan: expected a JSON object {\"tasks\": [...]}, alone or in a ```json block");
            }
            text = last.strip();
        }
        return parse(text, repositories);
    }

    /** A plan from its JSON text, checked against the schema and {@link TaskGraph#check}. */
    public static List<PlanTask> parse(String json, Set<String> repositories) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw PlanProblem.of(
                    "plan",
                    "the plan is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
        return of(root, repositories);
    }

    /** A plan from a JSON tree (the API's body). */
    public static List<PlanTask> of(@Nullable JsonNode root, Set<String> repositories) {
        if (root == null || !root.isObject()) {
            throw PlanProblem.of("plan", "the plan must be a JSON object {\"tasks\": [...]}");
        }
        unknown(root, TOP, "");
        JsonNode tasks = root.get("tasks");
        if (tasks == null || !tasks.isArray() || tasks.isEmpty()) {
            throw PlanProblem.of("tasks", "tasks must be a non-empty array");
        }
        if (tasks.size() > MAX_TASKS) {
            throw PlanProblem.of("tasks", "a plan has at most " + MAX_TASKS + " tasks; this one has " + tasks.size());
        }
        List<PlanTask> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            String at = "tasks[" + i + "]";
            JsonNode t = tasks.get(i);
            if (!t.isObject()) {
                throw PlanProblem.of(at, at + " must be an object");
            }
            unknown(t, FIELDS, at + ".");
            String id = text(t, "id", at, true);
            if (!ID.matcher(id).matches()) {
                throw PlanProblem.of(
                        at + ".id",
                        at + ".id '" + id
                                + "' must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
            }
            String repository = text(t, "repository", at, true);
            if (!repositories.contains(repository)) {
                throw PlanProblem.of(
                        at + ".repository",
                        "task '" + id + "' names repository '" + repository
                                + "', which is not one of the migration's repositories: "
                                + String.join(
                                        ", ", repositories.stream().sorted().toList()));
            }
            List<String> deps = new ArrayList<>();
            JsonNode d = t.get("dependsOn");
            if (d != null && !d.isNull()) {
                if (!d.isArray()) {
                    throw PlanProblem.of(at + ".dependsOn", at + ".dependsOn must be an array of task ids");
                }
                for (JsonNode dep : d) {
                    if (!dep.isTextual()) {
                        throw PlanProblem.of(at + ".dependsOn", at + ".dependsOn must hold task ids (strings)");
                    }
                    deps.add(dep.asText());
                }
            }
            out.add(new PlanTask(
                    id,
                    repository,
                    text(t, "scope", at, true),
                    text(t, "instructions", at, false),
                    text(t, "acceptance", at, true),
                    deps));
        }
        TaskGraph.check(out);
        return List.copyOf(out);
    }

    private static void unknown(JsonNode node, Set<String> allowed, String at) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw PlanProblem.of(
                        at + name,
                        "unknown field '" + at + name + "'; allowed: "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String text(JsonNode t, String field, String at, boolean required) {
        JsonNode v = t.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw PlanProblem.of(at + "." + field, at + "." + field + " is required");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw PlanProblem.of(at + "." + field, at + "." + field + " must be a string");
        }
        String s = v.asText().strip();
        if (required && s.isEmpty()) {
            throw PlanProblem.of(at + "." + field, at + "." + field + " must not be blank");
        }
        if (s.length() > 4000) {
            throw PlanProblem.of(at + "." + field, at + "." + field + " is longer than 4000 characters");
        }
        return s;
    }

    /** Whether an exception is this parser's refusal (for callers that turn it into a stored error). */
    static boolean isPlanProblem(ProblemException e) {
        return e.problem().type().endsWith(":invalid-plan");
    }
}
