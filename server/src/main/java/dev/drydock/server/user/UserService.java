package dev.drydock.server.user;

import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceMembership;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;

/** Keeps the local record of people and workspaces in step with what Keycloak says at each visit. */
@ApplicationScoped
public class UserService {
    @Inject
    EntityManager em;

    private final Clock clock = Clock.systemUTC();

    /**
     * The Keycloak subjects of the people who signed in under {@code username} (compared without
     * case, as Keycloak keeps user names in lower case); usually one, none for someone never seen.
     */
    public java.util.List<String> subjectsNamed(String username) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> em
                        .createNativeQuery(
                                "select subject from app_user where lower(username) = lower(?1) order by last_seen_at desc limit 5",
                                String.class)
                        .setParameter(1, username)
                        .getResultList()
                        .stream()
                        .map(String.class::cast)
                        .toList());
    }

    /** Records that {@code principal} was seen now; creates the person and their workspaces on first sight. */
    public void recordSeen(Principal principal) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery(
                            "insert into app_user(subject, username, display_name, email, first_seen_at, last_seen_at) values (:subject, :username, :name, :email, :now, :now) "
                                    + "on conflict (subject) do update set username = excluded.username, display_name = excluded.display_name, "
                                    + "email = excluded.email, last_seen_at = excluded.last_seen_at")
                    .setParameter("subject", principal.subject())
                    .setParameter("username", principal.username())
                    .setParameter("name", principal.displayName())
                    .setParameter("email", principal.email())
                    .setParameter("now", now)
                    .executeUpdate();
            for (WorkspaceMembership m : principal.workspaces()) {
                em.createNativeQuery(
                                "insert into workspace(slug, display_name, created_at) values (:slug, :slug, :now) on conflict (slug) do nothing")
                        .setParameter("slug", m.workspace())
                        .setParameter("now", now)
                        .executeUpdate();
            }
        });
    }
}
