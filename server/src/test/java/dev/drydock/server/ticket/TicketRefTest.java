package dev.drydock.server.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** How a ticket is named: Jira keys and URLs, GitLab issue numbers and URLs. */
class TicketRefTest {
    @Test
    void shouldReadJiraKeyWhenKeyIsGiven() {
        // When
        TicketRef ref = TicketRef.parse(" proj-12 ");

        // Then
        assertThat(ref).isEqualTo(new TicketRef.JiraIssue("PROJ-12", "PROJ", null));
    }

    @Test
    void shouldReadJiraKeyAndHostWhenBrowseUrlIsGiven() {
        // When
        TicketRef ref = TicketRef.parse("https://jira.internal.example/jira/browse/OPS-7");

        // Then
        assertThat(ref).isEqualTo(new TicketRef.JiraIssue("OPS-7", "OPS", "jira.internal.example"));
    }

    @Test
    void shouldReadGitLabIssueWhenNumberOrUrlIsGiven() {
        // When
        TicketRef number = TicketRef.parse("#4");
        TicketRef url = TicketRef.parse("https://gitlab.internal.example/team/calc/-/issues/4");

        // Then
        assertThat(number).isEqualTo(new TicketRef.GitLabIssue(4, null));
        assertThat(url).isEqualTo(new TicketRef.GitLabIssue(4, "gitlab.internal.example"));
    }

    @Test
    void shouldAnswer400WhenTicketIsNeither() {
        // When / Then
        assertThatThrownBy(() -> TicketRef.parse("fix the bug"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
    }
}
