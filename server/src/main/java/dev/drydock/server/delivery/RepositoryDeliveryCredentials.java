package dev.drydock.server.delivery;

import dev.drydock.server.repository.RepositoryService;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * For now, the repository's existing credential: the secret named by its {@code credentialsSecret}
 * (an environment variable, or a configuration value of that name), as the mirror's fetch uses it.
 * Replaced when repository credentials become workspace secrets.
 */
@ApplicationScoped
@DefaultBean
public class RepositoryDeliveryCredentials implements DeliveryCredentials {
    static final String USERNAME = "drydock";

    @Inject RepositoryService repositories;

    @Override
    public Optional<Credential> forRepository(String workspace, String repo) {
        return repositories.upstream(workspace, repo)
                .flatMap(u -> Optional.ofNullable(u.credentialsSecret()))
                .flatMap(name -> Optional.ofNullable(System.getenv(name)).or(() -> ConfigProvider.getConfig().getOptionalValue(name, String.class)))
                .filter(s -> !s.isBlank())
                .map(secret -> new Credential(USERNAME, secret));
    }
}
