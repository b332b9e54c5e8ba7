package dev.drydock.installer.bundle;

/** A bundle that must not be installed, and the file that makes it so. */
public final class BundleRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;

    public BundleRejectedException(String file, String reason) {
        super(printable(file) + ": " + printable(reason));
        this.file = file;
    }

    /** Names and reasons may come from a hostile tar: no control characters reach a terminal. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == 0x7f ? '?' : c));
        return sb.toString();
    }

    /** The offending file (a path inside the bundle, or the bundle itself). */
    public String file() {
        return file;
    }
}
