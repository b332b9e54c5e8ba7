package dev.drydock.server.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Merge-request webhooks read for the deliverables, from the vendors' documented payloads. */
class HookDeliverablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void shouldReadGitLabMergeWithCommitAndTimeWhenMergeRequestHookSaysMerged() throws Exception {
        // Given GitLab 17.x "Merge request events", action merge
        JsonNode body = json(
                "{'object_kind':'merge_request','user':{'username':'rita'},'object_attributes':"
                        + "{'iid':4,'state':'merged','action':'merge','merge_commit_sha':'abc123','updated_at':'2026-12-07 18:00:00 UTC'}}");

        // When
        var change = HookDeliverables.gitlab(body).orElseThrow();

        // Then
        assertThat(change.number()).isEqualTo(4);
        assertThat(change.observation().state()).isEqualTo("merged");
        assertThat(change.observation().mergeCommit()).isEqualTo("abc123");
        assertThat(change.observation().mergedAt()).isEqualTo(Instant.parse("2026-12-07T18:00:00Z"));
    }

    @Test
    void shouldReadGitLabApprovalByTheSenderWhenActionIsApproved() throws Exception {
        // Given
        JsonNode body = json("{'object_kind':'merge_request','user':{'username':'mike'},'object_attributes':"
                + "{'iid':4,'state':'opened','action':'approved'}}");

        // When
        var change = HookDeliverables.gitlab(body).orElseThrow();

        // Then
        assertThat(change.observation().approved()).isEqualTo("mike");
        assertThat(change.observation().state()).isNull();
    }

    @Test
    void shouldReadGiteaMergedPullRequestWhenPullRequestEventIsClosedAndMerged() throws Exception {
        // Given Gitea 1.22's pull_request event, action closed, merged
        JsonNode body = json(
                "{'action':'closed','number':7,'sender':{'login':'rita'},'pull_request':"
                        + "{'number':7,'state':'closed','merged':true,'merged_at':'2026-12-07T18:00:00Z','merge_commit_sha':'def456'}}");

        // When
        var change = HookDeliverables.gitea("pull_request", body).orElseThrow();

        // Then
        assertThat(change.number()).isEqualTo(7);
        assertThat(change.observation().state()).isEqualTo("merged");
        assertThat(change.observation().mergeCommit()).isEqualTo("def456");
    }

    @Test
    void shouldReadGiteaApprovalWhenReviewEventApproves() throws Exception {
        // Given
        JsonNode body = json("{'action':'reviewed','sender':{'login':'mike'},'pull_request':{'number':7},"
                + "'review':{'type':'pull_request_review_approved','content':'LGTM'}}");

        // When
        var change = HookDeliverables.gitea("pull_request_approved", body).orElseThrow();

        // Then
        assertThat(change.observation().approved()).isEqualTo("mike");
    }

    @Test
    void shouldIgnoreGitLabNoteWhenReadingMergeRequestChanges() throws Exception {
        // Given
        JsonNode body = json("{'object_kind':'note','user':{'username':'rita'},'object_attributes':{'note':'hi'}}");

        // When
        var change = HookDeliverables.gitlab(body);

        // Then
        assertThat(change).isEmpty();
    }
}
