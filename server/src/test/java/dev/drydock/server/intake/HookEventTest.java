package dev.drydock.server.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Reading the vendors' webhook payloads (shapes from GitLab 17.x "Webhook events" and Gitea 1.22's payload structs). */
class HookEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void shouldReadReviewCommentWhenGitLabNoteIsOnMergeRequest() throws Exception {
        // Given
        JsonNode note = json("{'object_kind':'note','event_type':'note','user':{'username':'rita'},"
                + "'object_attributes':{'id':1244,'note':'@drydock also handle negatives','noteable_type':'MergeRequest'},"
                + "'merge_request':{'iid':3,'source_branch':'drydock/s1'}}");

        // When
        HookEvent e = HookEvent.gitlab("Note Hook", note, null);

        // Then
        assertThat(e).isEqualTo(new HookEvent.ReviewComment(3, "rita", "@drydock also handle negatives", false));
    }

    @Test
    void shouldIgnoreGitLabNoteWhenItIsOnACommit() throws Exception {
        // Given
        JsonNode note = json("{'object_kind':'note','user':{'username':'rita'},"
                + "'object_attributes':{'note':'@drydock hi','noteable_type':'Commit'}}");

        // When
        HookEvent e = HookEvent.gitlab("Note Hook", note, null);

        // Then
        assertThat(e).isInstanceOf(HookEvent.Ignored.class);
    }

    @Test
    void shouldReadTicketWhenGitLabIssueGainsTheLabel() throws Exception {
        // Given
        JsonNode issue = json("{'object_kind':'issue','user':{'username':'tom'},"
                + "'object_attributes':{'iid':23,'title':'add() subtracts','description':'Fix it','url':'https://gl/x/-/issues/23','action':'update','state':'opened'},"
                + "'labels':[{'title':'drydock'}],"
                + "'changes':{'labels':{'previous':[],'current':[{'title':'drydock'}]}}}");

        // When
        HookEvent e = HookEvent.gitlab("Issue Hook", issue, "drydock");

        // Then
        assertThat(e)
                .isEqualTo(new HookEvent.Ticket(23, "tom", "add() subtracts", "Fix it", "https://gl/x/-/issues/23"));
    }

    @Test
    void shouldIgnoreGitLabIssueUpdateWhenLabelWasAlreadyThere() throws Exception {
        // Given
        JsonNode issue = json("{'object_kind':'issue','user':{'username':'tom'},"
                + "'object_attributes':{'iid':23,'title':'t','action':'update','state':'opened'},"
                + "'labels':[{'title':'drydock'}],'changes':{'title':{'previous':'a','current':'t'}}}");

        // When
        HookEvent e = HookEvent.gitlab("Issue Hook", issue, "drydock");

        // Then
        assertThat(e).isInstanceOf(HookEvent.Ignored.class);
    }

    @Test
    void shouldReadReviewCommentWhenGiteaCommentIsOnPullRequest() throws Exception {
        // Given
        JsonNode comment = json("{'action':'created','issue':{'number':5,'pull_request':{'merged':false}},"
                + "'comment':{'id':9,'body':'@drydock rename x'},'sender':{'login':'ann'},'is_pull':true}");

        // When
        HookEvent e = HookEvent.gitea("issue_comment", comment, null);

        // Then
        assertThat(e).isEqualTo(new HookEvent.ReviewComment(5, "ann", "@drydock rename x", false));
    }

    @Test
    void shouldReadChangesRequestedWhenGiteaReviewRejects() throws Exception {
        // Given
        JsonNode review = json(
                "{'action':'reviewed','number':5,'pull_request':{'number':5},"
                        + "'review':{'type':'pull_request_review_rejected','content':'needs a test'},'sender':{'login':'ann'}}");

        // When
        HookEvent e = HookEvent.gitea("pull_request_rejected", review, null);

        // Then
        assertThat(e).isEqualTo(new HookEvent.ReviewComment(5, "ann", "needs a test", true));
    }

    @Test
    void shouldReadTicketWhenGiteaIssueIsLabelled() throws Exception {
        // Given
        JsonNode issue = json(
                "{'action':'label_updated','number':8,'issue':{'number':8,'title':'t','body':'b',"
                        + "'html_url':'https://gitea/x/issues/8','state':'open','labels':[{'name':'drydock'}]},'sender':{'login':'ann'}}");

        // When
        HookEvent e = HookEvent.gitea("issue_label", issue, "drydock");

        // Then
        assertThat(e).isEqualTo(new HookEvent.Ticket(8, "ann", "t", "b", "https://gitea/x/issues/8"));
    }
}
