package dev.drydock.server.droid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drydock.server.agent.Limits;
import dev.drydock.server.agent.tool.FinishTool;
import dev.drydock.server.agent.tool.ToolBox;
import dev.drydock.server.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads droid profiles: built-ins from {@code droids/*.yaml} on the classpath, each overridable by a
 * file of the same name in {@code drydock.droid.profiles-dir}. Prompt templates are files too.
 */
@ApplicationScoped
public class DroidProfiles {
    /** The built-in droids. */
    public static final List<String> BUILT_IN = List.of("code", "knowledge", "reliability");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Inject
    DroidConfig config;

    private volatile Map<String, DroidProfile> cache = Map.of();

    /** All profiles, by name. */
    public Map<String, DroidProfile> all() {
        Map<String, DroidProfile> c = cache;
        if (c.isEmpty()) {
            Map<String, DroidProfile> m = new LinkedHashMap<>();
            for (String name : BUILT_IN) {
                m.put(name, parse(name, text("droids/" + name + ".yaml")));
            }
            config.profilesDir().ifPresent(dir -> {
                try (var files = Files.list(dir)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                            .sorted()
                            .forEach(f -> {
                                String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
                                m.put(name, parse(name, read(f)));
                            });
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read droid profiles in " + dir, e);
                }
            });
            cache = c = Map.copyOf(m);
        }
        return c;
    }

    /** A profile by name, or 400 naming the known ones. */
    public DroidProfile get(String name) {
        DroidProfile p = all().get(name);
        if (p == null) {
            throw ProblemException.badRequest(
                    "unknown droid '" + name + "'; known: " + String.join(", ", all().keySet()));
        }
        return p;
    }

    /** The prompt template text of a profile (an admin file wins over the built-in). */
    public String promptTemplate(DroidProfile p) {
        return text(p.promptTemplate());
    }

    /** The profile's tools, with its own finish schema. */
    public ToolBox tools(DroidProfile p) {
        return ToolBox.named(p.tools(), new FinishTool(p.finishDescription(), p.finishSchema()));
    }

    static DroidProfile parse(String name, String yaml) {
        try {
            JsonNode n = YAML.readTree(yaml);
            JsonNode limits = n.path("limits");
            List<String> tools = new ArrayList<>();
            n.path("tools").forEach(t -> tools.add(t.asText()));
            ToolBox.named(tools, new FinishTool());
            JsonNode finish = n.path("finish");
            String schema = finish.has("schema")
                    ? new ObjectMapper().writeValueAsString(finish.get("schema"))
                    : FinishTool.SUMMARY_ONLY;
            return new DroidProfile(
                    name,
                    n.path("description").asText(""),
                    n.path("route").asText("default"),
                    n.path("prompt").asText("prompts/" + name + ".md"),
                    List.copyOf(tools),
                    new Limits(
                            limits.path("max-steps").asInt(50),
                            limits.path("max-tokens").asLong(2_000_000),
                            Duration.parse(limits.path("wall-clock").asText("PT30M"))),
                    DroidProfile.Completion.valueOf(n.path("completion")
                            .asText("document")
                            .toUpperCase(Locale.ROOT)
                            .replace('-', '_')),
                    finish.path("description").asText("Finish the task."),
                    schema,
                    n.path("needs-repo").asBoolean(false));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("droid profile '" + name + "' is invalid: " + e.getMessage(), e);
        }
    }

    private String text(String resource) {
        Optional<Path> dir = config.profilesDir();
        if (dir.isPresent()) {
            Path override = dir.get().resolve(resource.replaceFirst("^droids/", ""));
            if (Files.isRegularFile(override)) {
                return read(override);
            }
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
