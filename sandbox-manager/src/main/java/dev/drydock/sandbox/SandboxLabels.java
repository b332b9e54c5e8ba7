package dev.drydock.sandbox;

/**
 * Label and annotation keys that tie a sandbox to its session and workspace. Kubernetes pods carry
 * them as labels; local sandboxes keep them in memory and in their directory's metadata file.
 */
public final class SandboxLabels {
    /** {@code app.kubernetes.io/managed-by=drydock} marks everything the sandbox manager owns. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** Value of {@link #MANAGED_BY}. */
    public static final String MANAGED_BY_VALUE = "drydock";
    /** {@code app.kubernetes.io/component=sandbox}. */
    public static final String COMPONENT = "app.kubernetes.io/component";
    /** Value of {@link #COMPONENT}. */
    public static final String COMPONENT_VALUE = "sandbox";
    /** The sandbox id. */
    public static final String SANDBOX_ID = "drydock.dev/sandbox";
    /** The droid session the sandbox belongs to; absent on warm-pool sandboxes. */
    public static final String SESSION_ID = "drydock.dev/session";
    /** The workspace the sandbox holds. */
    public static final String WORKSPACE_ID = "drydock.dev/workspace";
    /** {@code warm} while the sandbox waits in the pool, {@code claimed} once it serves a session. */
    public static final String POOL = "drydock.dev/pool";
    /** Annotation: ISO-8601 instant after which the reaper deletes the sandbox. */
    public static final String EXPIRES_AT = "drydock.dev/expires-at";
    /** Annotation: the base commit of the workspace. */
    public static final String BASE_COMMIT = "drydock.dev/base-commit";

    private SandboxLabels() {}
}
