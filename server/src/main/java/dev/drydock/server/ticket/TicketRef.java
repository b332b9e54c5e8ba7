package dev.drydock.server.ticket;

import dev.drydock.server.problem.ProblemException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person names a ticket by: a Jira key ({@code PROJ-12}) or a Jira issue URL ({@code
 * …/browse/PROJ-12}), or a GitLab issue of the session's repository ({@code #4}, or its URL {@code
 * …/-/issues/4}).
 */
sealed interface TicketRef {
    Pattern JIRA_KEY = Pattern.compile("([A-Z][A-Z0-9_]{0,19})-([1-9][0-9]{0,9})");
    Pattern JIRA_URL = Pattern.compile("https?://[^/]+(/.*)?/browse/([A-Za-z][A-Za-z0-9_]{0,19}-[1-9][0-9]{0,9})/?");
    Pattern GITLAB_URL = Pattern.compile("https?://[^/]+/.+/-/issues/([1-9][0-9]{0,9})/?");
    Pattern GITLAB_NUMBER = Pattern.compile("#([1-9][0-9]{0,9})");

    /** A Jira issue; {@code host} is the host of the URL it was named by, or null for a bare key. */
    record JiraIssue(
            String key,
            String project,
            @org.jspecify.annotations.Nullable String host) implements TicketRef {}

    /** A GitLab issue of the session's repository; {@code host} as for Jira. */
    record GitLabIssue(
            long iid, @org.jspecify.annotations.Nullable String host) implements TicketRef {}

    static TicketRef parse(String raw) {
        String s = raw.strip();
        if (s.length() > 2_000) {
            throw ProblemException.badRequest("ticket is too long: name it by its key (PROJ-12), #iid or URL");
        }
        Matcher m = JIRA_KEY.matcher(s.toUpperCase(Locale.ROOT));
        if (!s.contains("/") && m.matches()) {
            return new JiraIssue(m.group(0), m.group(1), null);
        }
        m = GITLAB_NUMBER.matcher(s);
        if (m.matches()) {
            return new GitLabIssue(Long.parseLong(m.group(1)), null);
        }
        m = JIRA_URL.matcher(s);
        if (m.matches()) {
            String key = m.group(2).toUpperCase(Locale.ROOT);
            return new JiraIssue(key, key.substring(0, key.indexOf('-')), host(s));
        }
        m = GITLAB_URL.matcher(s);
        if (m.matches()) {
            return new GitLabIssue(Long.parseLong(m.group(1)), host(s));
        }
        throw ProblemException.badRequest(
                "ticket: name a Jira issue by its key (PROJ-12) or URL (…/browse/PROJ-12), or a GitLab issue of the repository by #iid or URL (…/-/issues/4)");
    }

    private static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            if (h == null) {
                throw ProblemException.badRequest("ticket: the URL has no host");
            }
            return h.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("ticket: not a valid URL");
        }
    }
}
