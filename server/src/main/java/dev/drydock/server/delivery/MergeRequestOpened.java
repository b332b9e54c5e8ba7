package dev.drydock.server.delivery;

/**
 * Fired (CDI) after a session's merge request was opened on the git server and audited, for
 * whoever reports it onwards (webhooks out).
 */
public record MergeRequestOpened(
        String workspace, String sessionId, String repo, String delegatedBy, long number, String url, boolean draft) {}
