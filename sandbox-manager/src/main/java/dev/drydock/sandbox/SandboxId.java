package dev.drydock.sandbox;

import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Identity of one sandbox: {@code sbx-} followed by 16 lowercase hex digits. Valid as a Kubernetes
 * name and label value and as a file name.
 */
public record SandboxId(String value) {
    private static final Pattern FORMAT = Pattern.compile("sbx-[0-9a-f]{16}");

    public SandboxId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new UnknownSandboxException("malformed sandbox id '" + value + "' (expected sbx-<16 hex digits>)");
        }
    }

    /** A new random id. */
    public static SandboxId random(RandomGenerator random) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return new SandboxId("sbx-" + HexFormat.of().formatHex(bytes));
    }

    /** Parses an id given by a user; a malformed id is reported like an unknown one. */
    public static SandboxId parse(String value) {
        return new SandboxId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
