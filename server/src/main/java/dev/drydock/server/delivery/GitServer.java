package dev.drydock.server.delivery;

import java.util.List;
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
        GITEA,
        GITHUB,
        BITBUCKET;

        /**
         * Parses {@code gitlab}, {@code gitea} (Forgejo speaks Gitea's API), {@code github} (GitHub
         * Enterprise Server) or {@code bitbucket} (Bitbucket Data Center).
         */
        public static Optional<Kind> parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "gitlab" -> Optional.of(GITLAB);
                case "gitea", "forgejo" -> Optional.of(GITEA);
                case "github", "github-enterprise", "ghes" -> Optional.of(GITHUB);
                case "bitbucket", "bitbucket-dc", "bitbucket-server", "bitbucket-datacenter" -> Optional.of(BITBUCKET);
                default -> Optional.empty();
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to open: from {@code sourceBranch} into {@code targetBranch}; a draft when tests were not
     * run; {@code labels} to put on it (where the server has merge-request labels).
     */
    record Draft(
            String sourceBranch,
            String targetBranch,
            String title,
            String description,
            boolean draft,
            List<String> labels) {
        public Draft(String sourceBranch, String targetBranch, String title, String description, boolean draft) {
            this(sourceBranch, targetBranch, title, description, draft, List.of());
        }
    }

    /** An opened merge request: its number in the project ({@code iid} on GitLab, {@code number} on Gitea) and its web address. */
    record MergeRequest(long number, String url, String state, boolean draft) {}

    /** Opens a merge request. */
    MergeRequest open(Draft draft) throws GitServerException;

    /** Updates the title and description of merge request {@code number}. */
    MergeRequest update(long number, Draft draft) throws GitServerException;

    /**
     * Writes a comment on issue {@code number} (or merge request {@code number} when {@code
     * onMergeRequest}): how work that arrived from the git server is linked back.
     */
    void comment(long number, boolean onMergeRequest, String body) throws GitServerException;

    /** A token the git server minted for one push; its value never leaves the server process. */
    /**
     * A token the git server minted for one push; its value never leaves the server process. {@code
     * bearer}: git must send it as {@code Authorization: Bearer} (Bitbucket Data Center's project and
     * repository tokens refuse basic auth), otherwise as the password of {@code username}.
     */
    record MintedToken(String id, String username, String secret, String expires, boolean bearer) {
        public MintedToken(String id, String username, String secret, String expires) {
            this(id, username, secret, expires, false);
        }

        @Override
        public String toString() {
            return "MintedToken[" + id + ", " + username + ", ***, " + expires + "]";
        }
    }

    /**
     * A merge request as the git server shows it now: {@code state} is {@code opened}, {@code merged}
     * or {@code closed} (normalised over the four servers); {@code mergedAt} and {@code mergeCommit}
     * when merged (the commit that landed on the target branch: the merge commit, or the squashed one);
     * {@code approvedBy} the git-server user names whose approval stands.
     */
    record MergeRequestStatus(
            String state,
            java.time.@org.jspecify.annotations.Nullable Instant mergedAt,
            @org.jspecify.annotations.Nullable String mergeCommit,
            List<String> approvedBy) {
        public boolean open() {
            return state.equals("opened");
        }
    }

    /** Reads merge request {@code number}'s state and its approvals (what polling asks for). */
    MergeRequestStatus status(long number) throws GitServerException;

    /**
     * Sets, on merge request {@code number}, the rule that an approval from someone other than {@code
     * delegator} (a git-server user name) is required, where the server's API allows it; answers what
     * was set, or empty when this server has no API for it (Drydock then only watches the approvals).
     */
    default Optional<String> requireApprovalByOthers(long number, String delegator) throws GitServerException {
        return Optional.empty();
    }

    /**
     * Mints a short-lived token that may push to this repository, with the integration credential
     * this client was made with; empty when this kind of server cannot mint one through its API.
     *
     * @param name the token's name as the git server lists it
     * @param expires the last day it is valid (servers count expiry in days)
     */
    default java.util.Optional<MintedToken> mintPushToken(String name, java.time.LocalDate expires)
            throws GitServerException {
        return java.util.Optional.empty();
    }

    /** Revokes a token {@link #mintPushToken} made. */
    default void revoke(MintedToken token) throws GitServerException {}

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
