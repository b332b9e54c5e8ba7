package dev.drydock.installer.bundle;

/** A bundle that must not be installed, and the file that makes it so. */
public final class BundleRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;

    public BundleRejectedException(String file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    /** The offending file (a path inside the bundle, or the bundle itself). */
    public String file() {
        return file;
    }
}
