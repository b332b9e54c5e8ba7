package dev.drydock.server.delivery;

import dev.drydock.server.delivery.DeliveryCredentials.Credential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jspecify.annotations.Nullable;

/**
 * Pushes one ref of the server's mirror to a branch of the upstream git server, with JGit, from the
 * server process. Never forced: a branch that moved on the server is not overwritten. Pure JGit, no
 * CDI.
 */
final class GitPush {
    private GitPush() {}

    /** How a push ended. */
    enum Status {
        PUSHED,
        UP_TO_DATE,
        REJECTED
    }

    record Outcome(Status status, String detail) {}

    static Outcome push(Path mirror, String localRef, String upstream, String branch, @Nullable Credential credential)
            throws GitAPIException, java.io.IOException {
        return push(mirror, localRef, upstream, branch, credential, false);
    }

    /**
     * @param bearer send the credential's secret as {@code Authorization: Bearer} instead of basic
     *     auth (Bitbucket Data Center's project and repository access tokens)
     */
    static Outcome push(
            Path mirror,
            String localRef,
            String upstream,
            String branch,
            @Nullable Credential credential,
            boolean bearer)
            throws GitAPIException, java.io.IOException {
        try (Git git = Git.open(mirror.toFile())) {
            var push = git.push()
                    .setRemote(upstream)
                    .setRefSpecs(new RefSpec(localRef + ":refs/heads/" + branch))
                    .setForce(false)
                    .setTimeout(120);
            if (credential != null && bearer) {
                String header = "Bearer " + credential.secret();
                push.setTransportConfigCallback(t -> {
                    if (t instanceof org.eclipse.jgit.transport.TransportHttp http) {
                        http.setAdditionalHeaders(java.util.Map.of("Authorization", header));
                    }
                });
            } else if (credential != null) {
                push.setCredentialsProvider(
                        new UsernamePasswordCredentialsProvider(credential.username(), credential.secret()));
            }
            List<String> problems = new ArrayList<>();
            boolean pushed = false;
            for (PushResult result : push.call()) {
                for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                    switch (u.getStatus()) {
                        case OK -> pushed = true;
                        case UP_TO_DATE -> {}
                        default -> problems.add(u.getStatus() + (u.getMessage() == null ? "" : ": " + u.getMessage()));
                    }
                }
            }
            if (!problems.isEmpty()) {
                return new Outcome(Status.REJECTED, String.join("; ", problems));
            }
            return new Outcome(pushed ? Status.PUSHED : Status.UP_TO_DATE, "");
        }
    }
}
