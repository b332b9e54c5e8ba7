package dev.drydock.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command run once when the sandbox is created, before any droid command, e.g. to fetch
 * dependencies from an internal mirror. Only this step sees {@code secretEnv}: every exec is a fresh
 * process tree with its own environment, and the step's processes are gone before {@code create}
 * returns. Files the step writes stay, so it must not write secrets into the workspace.
 */
public record SetupStep(List<String> command, Map<String, String> secretEnv, Duration timeout) {
    public SetupStep {
        command = List.copyOf(command);
        secretEnv = Map.copyOf(secretEnv);
        if (command.isEmpty()) {
            throw new InvalidSpecException("setup step needs a command");
        }
    }
}
