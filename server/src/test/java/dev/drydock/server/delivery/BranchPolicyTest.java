package dev.drydock.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BranchPolicyTest {
    private final BranchPolicy policy = new BranchPolicy("main", BranchPolicy.parseGlobs("release/*, drydock/keep*"));

    @Test
    void shouldAllowDrydockBranchWhenNotProtected() {
        // When
        String branch = policy.check("drydock/3f2a");

        // Then
        assertThat(branch).isEqualTo("drydock/3f2a");
    }

    @Test
    void shouldRefuseDefaultBranchWhenTargeted() {
        // When / Then
        assertThatThrownBy(() -> policy.check("main"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        p -> assertThat(p.problem().status()).isEqualTo(422));
    }

    @Test
    void shouldRefuseBranchOutsideDrydockNamespaceWhenTargeted() {
        // When / Then
        assertThatThrownBy(() -> policy.check("feature/x"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        p -> assertThat(p.problem().detail()).contains("only to drydock/*"));
    }

    @Test
    void shouldRefuseProtectedGlobWhenMatched() {
        // When / Then
        assertThatThrownBy(() -> policy.check("drydock/keeper"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        p -> assertThat(p.problem().detail()).contains("protected branch pattern 'drydock/keep*'"));
    }

    @Test
    void shouldRefuseDefaultBranchWhenItIsInsideDrydockNamespace() {
        // Given
        BranchPolicy odd = new BranchPolicy("drydock/main", List.of());

        // When / Then
        assertThatThrownBy(() -> odd.check("drydock/main"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        p -> assertThat(p.problem().detail()).contains("default branch"));
    }

    @Test
    void shouldRejectMalformedBranchWhenGiven() {
        // When / Then
        assertThatThrownBy(() -> policy.check("drydock/../main"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        p -> assertThat(p.problem().status()).isEqualTo(400));
    }
}
