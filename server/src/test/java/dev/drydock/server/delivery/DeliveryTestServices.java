package dev.drydock.server.delivery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * What delivery needs in tests: the git servers the tests start listen on {@code localhost}, which
 * joins the git allow-list; the deploy credential a test repository names
 * ({@code DRYDOCK_TEST_DEPLOY_TOKEN}) is a workspace secret of {@code demo} the tests store as {@link #TOKEN}.
 */
public final class DeliveryTestServices implements QuarkusTestResourceLifecycleManager {
    public static final String SECRET_NAME = "DRYDOCK_TEST_DEPLOY_TOKEN";
    public static final String TOKEN = "deploy-token-" + ProcessHandle.current().pid();

    @Override
    public Map<String, String> start() {
        return Map.of("drydock.repos.allowed-hosts", "git.internal.example,localhost");
    }

    @Override
    public void stop() {
        // nothing runs
    }
}
