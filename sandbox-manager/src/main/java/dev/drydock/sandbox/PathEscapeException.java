package dev.drydock.sandbox;

/** A file-API path would leave the workspace ({@code ../}, an absolute path or a symbolic link). */
public class PathEscapeException extends SandboxException {
    public PathEscapeException(String path, String why) {
        super("path refused: '" + path + "' " + why);
    }

    /** Rebuilds an error reported by a remote tool runner, message unchanged. */
    public static PathEscapeException remote(String message) {
        return new PathEscapeException(message);
    }

    private PathEscapeException(String message) {
        super(message);
    }
}
