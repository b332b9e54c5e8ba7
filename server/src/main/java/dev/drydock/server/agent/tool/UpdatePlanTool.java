package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Action.Risk;
import dev.drydock.server.agent.event.Progress.PlanStep;
import dev.drydock.server.agent.event.Progress.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code update_plan}: replaces the plan the person sees. */
public final class UpdatePlanTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(
            "update_plan",
            "Replace your plan: a list of steps, each {text, status} with status pending, in_progress or done. Keep it short.",
            Schemas.object(
                    "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"},"
                            + "\"status\":{\"type\":\"string\",\"enum\":[\"pending\",\"in_progress\",\"done\"]}},\"required\":[\"text\",\"status\"]}}",
                    "steps"),
            Risk.READ_ONLY);

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Effect execute(Args args, ToolContext context) {
        List<PlanStep> steps = new ArrayList<>();
        for (Object o : args.list("steps")) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("text") instanceof String text)) {
                throw new Args.BadArguments("each step must be an object with a string 'text'");
            }
            String status = m.get("status") instanceof String s ? s : "pending";
            StepStatus st;
            try {
                st = StepStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Args.BadArguments("step status must be pending, in_progress or done, not '" + status + "'");
            }
            steps.add(new PlanStep(text, st));
        }
        return new Effect.Plan(steps);
    }
}
