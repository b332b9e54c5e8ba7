package dev.drydock.server.delivery;

import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.secret.WorkspaceSecrets;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The repository's credential: the workspace secret named by its {@code credentialsSecret}, read from
 * the repository's own workspace ({@link WorkspaceSecrets#reveal}), as the mirror's fetch uses it.
 */
@ApplicationScoped
@DefaultBean
public class RepositoryDeliveryCredentials implements DeliveryCredentials {
    static final String USERNAME = "drydock";

    @Inject
    RepositoryRegistry repositories;

    @Inject
    WorkspaceSecrets secrets;

    @Override
    public Optional<Credential> forRepository(String workspace, String repo) {
        return repositories
                .upstream(workspace, repo)
                .flatMap(u -> Optional.ofNullable(u.credentialsSecret()))
                .flatMap(name -> secrets.reveal(workspace, name))
                .filter(s -> !s.isBlank())
                .map(secret -> new Credential(USERNAME, secret));
    }
}
