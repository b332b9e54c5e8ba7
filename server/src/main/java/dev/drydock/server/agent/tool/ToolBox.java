package dev.drydock.server.agent.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The tools one droid may use, by name, in the order they are offered to the model. */
public final class ToolBox {
    private static final Map<String, Supplier<Tool>> BUILT_IN = builtIn();

    private final Map<String, Tool> tools;

    private ToolBox(Map<String, Tool> tools) {
        this.tools = tools;
    }

    public static ToolBox of(List<Tool> tools) {
        Map<String, Tool> m = new LinkedHashMap<>();
        for (Tool t : tools) {
            if (m.put(t.spec().name(), t) != null) {
                throw new IllegalArgumentException("tool '" + t.spec().name() + "' given twice");
            }
        }
        return new ToolBox(m);
    }

    /**
     * The built-in tools with these names, in this order; {@code finish} replaced by {@code finish}
     * when given.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ToolBox named(List<String> names, FinishTool finish) {
        return of(names.stream()
                .map(n -> {
                    if (n.equals("finish")) {
                        return (Tool) finish;
                    }
                    Supplier<Tool> s = BUILT_IN.get(n);
                    if (s == null) {
                        throw new IllegalArgumentException(
                                "unknown tool '" + n + "'; known: " + String.join(", ", BUILT_IN.keySet()));
                    }
                    return s.get();
                })
                .toList());
    }

    /**
     * This box with {@code more} tools after its own (tools a server adds for one session, such as
     * a registered MCP server's).
     *
     * @throws IllegalArgumentException when a name is taken
     */
    public ToolBox with(List<Tool> more) {
        Map<String, Tool> m = new LinkedHashMap<>(tools);
        for (Tool t : more) {
            if (m.put(t.spec().name(), t) != null) {
                throw new IllegalArgumentException("tool '" + t.spec().name() + "' given twice");
            }
        }
        return new ToolBox(m);
    }

    /** Names of every built-in tool. */
    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public List<ToolSpec> specs() {
        return tools.values().stream().map(Tool::spec).toList();
    }

    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    private static Map<String, Supplier<Tool>> builtIn() {
        Map<String, Supplier<Tool>> m = new LinkedHashMap<>();
        m.put("search_code", SearchCodeTool::new);
        m.put("grep", GrepTool::new);
        m.put("read_file", ReadFileTool::new);
        m.put("list_dir", ListDirTool::new);
        m.put("edit_file", EditFileTool::new);
        m.put("create_file", CreateFileTool::new);
        m.put("run_command", RunCommandTool::new);
        m.put("run_tests", RunTestsTool::new);
        m.put("git_diff", GitDiffTool::new);
        m.put("update_plan", UpdatePlanTool::new);
        m.put("ask_user", AskUserTool::new);
        m.put("remember", RememberTool::new);
        m.put("finish", FinishTool::new);
        return m;
    }
}
