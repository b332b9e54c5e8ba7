package dev.drydock.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One isolated place that runs tools for one droid session. It holds a workspace and nothing else
 * of value: no model credential, no network (except what the policy allows on Kubernetes).
 *
 * <p>All paths given to the file methods are relative to the workspace root and use {@code /}. A
 * path that would leave the workspace ({@code ..}, absolute, or through a symbolic link) is refused
 * with {@link PathEscapeException}; symbolic links are never followed by the file API. Every method
 * throws {@link SandboxDestroyedException} once the sandbox has been destroyed. Methods are
 * thread-safe; several commands may run at once.
 */
public interface Sandbox {
    /** The sandbox's identity. */
    SandboxId id();

    /** The spec it was created from. */
    SandboxSpec spec();

    /** Labels tying the sandbox to its session and workspace ({@link SandboxLabels} keys). */
    Map<String, String> labels();

    /** When the sandbox expires; the backend destroys it after that. */
    Instant expiresAt();

    /** Whether {@link #destroy()} ran or the sandbox expired. */
    boolean isDestroyed();

    /**
     * Runs a command and blocks until it ends. Output is streamed to {@code listener} and kept,
     * truncated at the output limit, in the result. Never throws for a failing command: a non-zero
     * exit, a timeout and a kill are results.
     *
     * @throws InvalidSpecException if the working directory leaves the workspace
     * @throws SandboxDestroyedException if the sandbox is destroyed
     */
    ExecResult exec(ExecRequest request, OutputListener listener);

    /** {@link #exec(ExecRequest, OutputListener)} without streaming. */
    default ExecResult exec(ExecRequest request) {
        return exec(request, OutputListener.NONE);
    }

    /** Reads a whole regular file. */
    byte[] readFile(String path);

    /** Creates or replaces a regular file, creating parent directories. */
    void writeFile(String path, byte[] content);

    /** Lists a directory (not recursive), sorted by name. */
    List<FileEntry> list(String directory);

    /** Metadata of one entry, without following a final symbolic link. */
    FileEntry stat(String path);

    /** Extracts a tar stream into a workspace directory; entries leaving it are refused. */
    void uploadTar(String directory, InputStream tar);

    /** Writes a tar stream of a workspace directory; symbolic links are stored as links. */
    void downloadTar(String directory, OutputStream tar);

    /**
     * A unified diff (git format, binary-safe) of the workspace against its base commit, including
     * untracked files. Empty when there is no base commit. At most the spec's output limit is
     * returned: a longer diff is cut and ends with a truncation marker, as command output is.
     */
    String diff();

    /** Kills everything still running and deletes the workspace. Idempotent. */
    void destroy();
}
