package dev.drydock.sandbox;

/** A file-API path would leave the workspace ({@code ../}, an absolute path or a symbolic link). */
public class PathEscapeException extends SandboxException {
    public PathEscapeException(String path, String why) {
        super("path refused: '" + path + "' " + why);
    }
}
