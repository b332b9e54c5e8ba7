package dev.drydock.sandbox;

import java.util.List;

/**
 * Creates and tracks sandboxes. Chosen by configuration ({@code drydock.sandbox.backend}); see
 * {@code dev.drydock.sandbox.select.SandboxBackends}.
 */
public interface SandboxBackend extends AutoCloseable {
    /** The configuration name: {@code local} or {@code kubernetes}. */
    String name();

    /**
     * Creates a sandbox, fills its workspace from the spec's source and runs its setup step.
     *
     * @throws InvalidSpecException if the spec is invalid for this backend (missing image, unknown
     *     runtime class)
     * @throws SandboxUnavailableException if the backend cannot create sandboxes here
     */
    Sandbox create(SandboxSpec spec);

    /**
     * A live sandbox by id.
     *
     * @throws UnknownSandboxException if there is none
     */
    Sandbox get(SandboxId id);

    /** Live sandboxes created or adopted by this backend instance. */
    List<Sandbox> list();

    /** Which limits and isolation properties this backend enforces where it runs. */
    List<Enforcement> enforcement();

    /** Destroys expired sandboxes; returns how many. Backends also call it on their own schedule. */
    int reapExpired();

    /**
     * Releases resources. Local sandboxes are destroyed (they cannot outlive this process);
     * Kubernetes pods are left running for {@code reconcile} at the next start.
     */
    @Override
    void close();
}
