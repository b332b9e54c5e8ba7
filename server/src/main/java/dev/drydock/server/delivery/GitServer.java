package dev.drydock.server.delivery;

import java.util.Locale;
import java.util.Optional;

/**
 * A git server's merge-request API, as delivery needs it: open a merge (pull) request from an agent
 * branch, and update it when the session continues. Implementations call the server through the
 * egress guard only.
 */
public interface GitServer {
    /** The kinds of git server delivery can talk to. */
    enum Kind {
        GITLAB,
        GITEA;

        /** Parses {@code gitlab} or {@code gitea} (Forgejo speaks Gitea's API). */
        public static Optional<Kind> parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "gitlab" -> Optional.of(GITLAB);
                case "gitea", "forgejo" -> Optional.of(GITEA);
                default -> Optional.empty();
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to open: from {@code sourceBranch} into {@code targetBranch}; a draft when tests were not run. */
    record Draft(String sourceBranch, String targetBranch, String title, String description, boolean draft) {}

    /** An opened merge request: its number in the project ({@code iid} on GitLab, {@code number} on Gitea) and its web address. */
    record MergeRequest(long number, String url, String state, boolean draft) {}

    /** Opens a merge request. */
    MergeRequest open(Draft draft) throws GitServerException;

    /** Updates the title and description of merge request {@code number}. */
    MergeRequest update(long number, Draft draft) throws GitServerException;

    /** A git server's API answered with an error or could not be reached. */
    final class GitServerException extends Exception {
        private final int status;

        public GitServerException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status the server answered, 0 when there was no answer. */
        public int status() {
            return status;
        }
    }
}
