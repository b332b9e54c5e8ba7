package dev.drydock.server.intake;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.KeycloakMemberships;
import dev.drydock.server.auth.Roles;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.user.UserService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Who a git server's user is in Drydock, for the webhooks that start work on someone's behalf
 * ({@code @drydock <task>} comments). The rule: the git server's user name equals the person's
 * Drydock (Keycloak) user name, compared without case; the person must have signed in to Drydock
 * once, be enabled in Keycloak, and hold at least the member role in the repository's workspace
 * now (read from Keycloak, as for API keys). The session then runs as that person, with their
 * current workspace roles and never {@code drydock-admin}.
 */
@ApplicationScoped
public class HookMembers {
    @Inject
    UserService users;

    @Inject
    KeycloakMemberships memberships;

    /** A person who may start work in the workspace, or why the git server's user may not. */
    sealed interface Verdict {
        record Member(Principal person) implements Verdict {}

        record Refused(String reason) implements Verdict {}
    }

    Verdict resolve(String workspace, String gitUser) throws KeycloakMemberships.UnavailableException {
        List<String> subjects = users.subjectsNamed(gitUser);
        if (subjects.isEmpty()) {
            return new Verdict.Refused("no Drydock user named '" + gitUser + "' has signed in");
        }
        if (subjects.size() > 1) {
            return new Verdict.Refused("several Drydock users are named '" + gitUser + "'");
        }
        Optional<KeycloakMemberships.Account> account = memberships.account(subjects.getFirst());
        if (account.isEmpty() || !account.get().enabled()) {
            return new Verdict.Refused("the Drydock user '" + gitUser + "' is no longer active");
        }
        KeycloakMemberships.Account a = account.get();
        Principal person = new Principal(
                a.subject(),
                a.username(),
                a.username(),
                null,
                a.roles().stream().filter(r -> !r.equals(Roles.DRYDOCK_ADMIN)).toList(),
                a.workspaces());
        Optional<WorkspaceRole> role = person.roleIn(workspace);
        if (role.isEmpty() || !role.get().atLeast(WorkspaceRole.MEMBER)) {
            return new Verdict.Refused("the Drydock user '" + a.username() + "' is "
                    + role.map(r -> "a " + r.label()).orElse("not a member") + " of workspace " + workspace);
        }
        return new Verdict.Member(person);
    }
}
