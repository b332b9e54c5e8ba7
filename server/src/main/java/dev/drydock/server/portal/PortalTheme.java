package dev.drydock.server.portal;

import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.persistence.NativeSql;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The portal theme a person chose (light or dark), stored on the server per subject so that it
 * follows them to every browser. The layout reads {@link #current()} ({@code inject:portalTheme}) and
 * draws the page in it from the first byte; without a choice, or without a signed-in person (the
 * sign-in and some error pages), {@code theme.js} falls back to the browser's choice and the system's
 * {@code prefers-color-scheme}.
 */
@RequestScoped
@Named("portalTheme")
public class PortalTheme {
    private static final Logger LOG = Logger.getLogger(PortalTheme.class);

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentUser currentUser;

    @Inject
    NativeSql sql;

    private boolean read;
    private @Nullable String current;

    /** The signed-in person's theme, {@code light} or {@code dark}; null when they chose none or nobody is signed in. */
    public @Nullable String current() {
        if (!read) {
            read = true;
            current = lookUp();
        }
        return current;
    }

    private @Nullable String lookUp() {
        if (identity.isAnonymous()) {
            return null;
        }
        try {
            Object theme = sql.one(
                    "select coalesce(max(theme), '') from portal_theme where subject = ?1",
                    currentUser.principal().subject());
            return theme == null || theme.toString().isEmpty() ? null : theme.toString();
        } catch (RuntimeException e) {
            // the page (often an error page) is drawn all the same, in the browser's theme
            LOG.debugf("no stored portal theme: %s", e);
            return null;
        }
    }

    /** Remembers {@code theme} ({@code light}, {@code dark}, or {@code system} to forget the choice) for {@code subject}. */
    public void save(String subject, @Nullable String theme) {
        String value = theme == null ? "" : theme.strip();
        switch (value) {
            case "light", "dark" ->
                sql.update(
                        "insert into portal_theme (subject, theme) values (?1, ?2)"
                                + " on conflict (subject) do update set theme = excluded.theme, updated_at = now()",
                        subject,
                        value);
            case "system" -> sql.update("delete from portal_theme where subject = ?1", subject);
            default -> throw ProblemException.badRequest("theme must be light, dark or system.");
        }
        read = true;
        current = value.equals("system") ? null : value;
    }
}
