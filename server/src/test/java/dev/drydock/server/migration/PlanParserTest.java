package dev.drydock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drydock.server.problem.ProblemException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanParserTest {
    static final Set<String> REPOS = Set.of("api", "web");

    @Test
    void shouldReadTheLastJsonBlockWhenTheDocumentIsMarkdown() {
        // Given
        String doc = "# Plan\n\nFirst an example:\n\n```json\n{\"tasks\": []}\n```\n\nThe plan:\n\n```json\n"
                + "{\"tasks\": [{\"id\": \"api-1\", \"repository\": \"api\", \"scope\": \"src/\", \"acceptance\": \"make test\"},"
                + " {\"id\": \"web-1\", \"repository\": \"web\", \"scope\": \"app/\", \"instructions\": \"use the new client\","
                + " \"acceptance\": \"npm test\", \"dependsOn\": [\"api-1\"]}]}\n```\n";

        // When
        List<PlanTask> plan = PlanParser.fromDocument(doc, REPOS);

        // Then
        assertThat(plan)
                .containsExactly(
                        new PlanTask("api-1", "api", "src/", "", "make test", List.of()),
                        new PlanTask("web-1", "web", "app/", "use the new client", "npm test", List.of("api-1")));
    }

    @Test
    void shouldSayWhereTheJsonBreaksWhenTheModelWritesMalformedJson() {
        // Given
        String doc = "{\"tasks\": [{\"id\": \"a\", \"repository\": \"api\",}]}";

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> PlanParser.fromDocument(doc, REPOS));

        // Then
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().detail()).startsWith("the plan is not valid JSON (line 1, column");
    }

    @Test
    void shouldRefuseDocumentWhenItHoldsNoPlan() {
        // Given
        String doc = "# Plan\n\nMigrate everything, carefully.";

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> PlanParser.fromDocument(doc, REPOS));

        // Then
        assertThat(e.problem().detail()).contains("holds no plan");
    }

    @Test
    void shouldNameTheFieldWhenATaskHasAnUnknownOne() {
        // Given
        String json =
                "{\"tasks\": [{\"id\": \"a\", \"repository\": \"api\", \"scope\": \"s\", \"acceptance\": \"t\", \"priority\": 1}]}";

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> PlanParser.parse(json, REPOS));

        // Then
        assertThat(e.problem().detail()).startsWith("unknown field 'tasks[0].priority'");
    }

    @Test
    void shouldRefuseTaskWhenItsRepositoryIsNotOneOfTheMigrations() {
        // Given
        String json =
                "{\"tasks\": [{\"id\": \"a\", \"repository\": \"billing\", \"scope\": \"s\", \"acceptance\": \"t\"}]}";

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> PlanParser.parse(json, REPOS));

        // Then
        assertThat(e.problem().detail())
                .isEqualTo(
                        "task 'a' names repository 'billing', which is not one of the migration's repositories: api, web");
    }

    @Test
    void shouldRefuseTaskWhenARequiredFieldIsMissingOrOfTheWrongType() {
        // Given
        String json = "{\"tasks\": [{\"id\": \"a\", \"repository\": \"api\", \"scope\": 3, \"acceptance\": \"t\"}]}";

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> PlanParser.parse(json, REPOS));

        // Then
        assertThat(e.problem().detail()).isEqualTo("tasks[0].scope must be a string");
    }

    @Test
    void shouldRefusePlanWhenItHasACycle() {
        // Given
        String json = "{\"tasks\": ["
                + "{\"id\": \"a\", \"repository\": \"api\", \"scope\": \"s\", \"acceptance\": \"t\", \"dependsOn\": [\"b\"]},"
                + "{\"id\": \"b\", \"repository\": \"web\", \"scope\": \"s\", \"acceptance\": \"t\", \"dependsOn\": [\"a\"]}]}";

        // When
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> PlanParser.parse(json, REPOS));

        // Then
        assertThat(e.problem().detail()).contains("a → b → a");
    }
}
