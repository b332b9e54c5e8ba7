package dev.drydock.server.delivery;

import java.util.Optional;

/**
 * Where delivery reads the credential for a repository's git server: the push over HTTPS and the
 * merge-request API both use it. The one place to change when credentials become workspace secrets;
 * the value is used in the server only, never written to an event, a log line, a model prompt or a
 * sandbox.
 */
public interface DeliveryCredentials {
    /** A username and a secret (a token or password); the username is what HTTP basic auth sends. */
    record Credential(String username, String secret) {
        @Override
        public String toString() {
            return "Credential[" + username + ", ***]";
        }
    }

    /** The credential for pushing to and calling the API of a workspace's repository; empty when none is configured. */
    Optional<Credential> forRepository(String workspace, String repo);
}
