package dev.drydock.server.agent.tool;

import dev.drydock.server.agent.event.Progress.PlanStep;
import java.util.List;

/** What running a tool produced; the loop turns each into events with one exhaustive switch. */
public sealed interface Effect {
    /** Text output. */
    record Output(String text) implements Effect {}

    /** A command ran; {@code exitCode} -1 when it did not exit by itself. */
    record CommandRan(String command, int exitCode, String output, boolean timedOut) implements Effect {}

    /** A file changed; {@code diff} is the unified diff of the change. */
    record Changed(String path, String diff) implements Effect {}

    /** The tool ran and failed in a way the model can fix. */
    record Failed(String error) implements Effect {}

    /** Ask the person; the session pauses. */
    record Ask(String question, List<String> options) implements Effect {}

    /** Replace the plan. */
    record Plan(List<PlanStep> steps) implements Effect {}

    /** The droid says it is done; the completion rule decides. */
    record Finish(String summary, Args args) implements Effect {}
}
