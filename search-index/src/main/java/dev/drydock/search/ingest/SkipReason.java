package dev.drydock.search.ingest;

/** Why a file was not indexed; every skipped file is counted under one reason. */
public enum SkipReason {
    IGNORED("ignored by .gitignore"),
    VENDORED("vendored"),
    GENERATED("generated"),
    MINIFIED("minified"),
    BINARY("binary"),
    TOO_LARGE("over size limit"),
    SYMLINK("symlink"),
    OUTSIDE_ROOT("link outside root"),
    UNREADABLE("unreadable"),
    MISSING("object missing (partial clone)");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
