package dev.drydock.sandbox;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A repository manager sandboxes may reach (issue #18): declared once by a drydock-admin, chosen per
 * workspace. Local sandboxes reach it through the backend's forwarding proxy (which allows exactly the
 * chosen mirrors' host and port), Kubernetes sandboxes through a per-pod NetworkPolicy; package
 * managers in the sandbox are configured for it without the model writing any file.
 *
 * @param name short name, also part of the setup step's credential variable ({@link #secretVariable})
 * @param kind which package manager it serves
 * @param url base URL (e.g. {@code http://nexus.corp:8081/repository/maven-public/}), http or https,
 *     no credentials
 */
public record PackageMirror(String name, Kind kind, URI url) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** The package managers a mirror can serve. */
    public enum Kind {
        MAVEN,
        GRADLE,
        NPM,
        PYPI,
        GO,
        DEBIAN;

        /** The name in configuration and the API: {@code maven}, {@code npm}, … */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind for a label. */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label)) {
                    return k;
                }
            }
            throw new InvalidSpecException(
                    "unknown mirror kind '" + label + "'; valid: maven, gradle, npm, pypi, go, debian");
        }
    }

    public PackageMirror {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSpecException("mirror name '" + name
                    + "' is invalid: 1-40 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if (kind == null) {
            throw new InvalidSpecException("mirror " + name + " needs a kind");
        }
        if (url == null
                || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new InvalidSpecException(
                    "mirror " + name + " needs an http or https URL with a host, got '" + url + "'");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new InvalidSpecException(
                    "mirror " + name
                            + ": the URL must not carry credentials, a query or a fragment (credentials are a workspace secret used only by setup steps)");
        }
        String s = url.toString();
        url = URI.create(s.endsWith("/") ? s : s + "/");
    }

    /** The mirror's port, the scheme's default when the URL names none. */
    public int port() {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    /** {@code host:port}, what the proxy and the NetworkPolicy allow. */
    public String authority() {
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port();
    }

    /**
     * The environment variable of a setup step that carries this mirror's credential ({@code token} or
     * {@code user:password}); the generated setup-only settings read it, droid commands never get it.
     */
    public String secretVariable() {
        return "DRYDOCK_MIRROR_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_CREDENTIAL";
    }
}
